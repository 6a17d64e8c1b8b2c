using Bot.Testing;

namespace Bot.IntegrationTests.PagerDuty;

public class PagerDutyStartupTests
{
    [Fact]
    public async Task A_half_configured_pagerduty_stops_the_server_naming_what_is_missing_and_never_the_token()
    {
        var result = await BotProcess.RunAsync([], environment: new Dictionary<string, string>
        {
            ["Slack__SigningSecret"] = "slack-secret",
            ["Slack__BotToken"] = "xoxb-startup-test",
            ["PagerDuty__ApiToken"] = "pd-token-value-1234",
            ["PagerDuty__FromEmail"] = "not an address",
        });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("PagerDuty__WebhookSecret is required", result.StandardError);
        Assert.Contains("PagerDuty__FromEmail must be an e-mail address", result.StandardError);
        Assert.DoesNotContain("pd-token-value-1234", result.StandardError + result.StandardOutput);
        Assert.DoesNotContain("   at ", result.StandardError);
    }
}
