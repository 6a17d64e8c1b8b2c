using Bot.Testing.PagerDuty;
using Bot.Testing;
using Bot.Integrations.PagerDuty;

namespace Bot.Integrations.Tests.PagerDuty;

public class PagerDutyOptionsTests
{
    [Fact]
    public void PagerDuty_is_optional_so_no_settings_at_all_is_valid()
    {
        var options = new PagerDutyOptions();

        Assert.False(options.IsUsed);
        Assert.False(options.IsConfigured);
        Assert.Empty(options.Problems());
        Assert.Equal("https://api.pagerduty.com/", options.ApiBaseUrl);
        Assert.Equal("https://events.pagerduty.com/", options.EventsBaseUrl);
    }

    [Fact]
    public void Any_setting_makes_the_token_the_secret_and_the_from_email_required()
    {
        var problems = new PagerDutyOptions { ApiToken = "t" }.Problems();

        Assert.Contains(problems, p => p.StartsWith("PagerDuty__WebhookSecret is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("PagerDuty__FromEmail is required", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.StartsWith("PagerDuty__ApiToken", StringComparison.Ordinal));
    }

    [Fact]
    public void A_process_that_takes_no_webhooks_needs_no_webhook_secret_but_everything_else()
    {
        var socketModeOnly = new PagerDutyOptions { ApiToken = "t", FromEmail = "bot@securebase.example", ServiceIds = ["PSBLMB1"] }.Problems(receivesWebhooks: false);
        var overHttp = new PagerDutyOptions { ApiToken = "t", FromEmail = "bot@securebase.example", ServiceIds = ["PSBLMB1"] }.Problems(receivesWebhooks: true);
        var incomplete = new PagerDutyOptions { ApiToken = "t", TeamIds = ["PSBTEAM"] }.Problems(receivesWebhooks: false);

        Assert.Empty(socketModeOnly);
        Assert.Contains(overHttp, p => p.StartsWith("PagerDuty__WebhookSecret is required", StringComparison.Ordinal));
        Assert.Equal(["PagerDuty__FromEmail is required when PagerDuty is configured (the bot's own PagerDuty user e-mail)."], incomplete);
    }

    [Theory]
    [InlineData("bot")]
    [InlineData("Bot <bot@securebase.example>")]
    public void The_from_email_must_be_a_plain_address(string email)
    {
        var problems = new PagerDutyOptions { ApiToken = "t", WebhookSecret = "s", FromEmail = email, TeamIds = ["PSBTEAM"] }.Problems();

        Assert.Equal([$"PagerDuty__FromEmail must be an e-mail address, not '{email}'."], problems);
    }

    [Fact]
    public void Base_urls_must_be_absolute_http_urls()
    {
        var problems = new PagerDutyOptions { ApiToken = "t", WebhookSecret = "s", FromEmail = "bot@securebase.example", ServiceIds = ["PSBLMB1"], ApiBaseUrl = "api.pagerduty.com", EventsBaseUrl = "ftp://x/" }.Problems();

        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void Which_services_or_teams_are_securebases_is_required_so_other_teams_incidents_are_never_followed()
    {
        var problems = new PagerDutyOptions { ApiToken = "t", WebhookSecret = "s", FromEmail = "bot@securebase.example" }.Problems();
        var blank = new PagerDutyOptions { ApiToken = "t", WebhookSecret = "s", FromEmail = "bot@securebase.example", ServiceIds = [" "] }.Problems();

        Assert.StartsWith("PagerDuty__ServiceIds__0 or PagerDuty__TeamIds__0 is required", Assert.Single(problems), StringComparison.Ordinal);
        Assert.Single(blank);
        Assert.Empty(new PagerDutyOptions { ApiToken = "t", WebhookSecret = "s", FromEmail = "bot@securebase.example", TeamIds = ["PSBTEAM"] }.Problems());
    }

    [Theory]
    [InlineData("PSBLMB1", "PSBTEAM", true)]
    [InlineData("PPAYAPI", "PSBTEAM", false)]
    [InlineData("PSBLMB1", "PPAYTEAM", false)]
    [InlineData(null, "PSBTEAM", false)]
    public void An_incident_is_securebases_when_its_service_and_its_team_are_both_listed(string? service, string team, bool covered)
    {
        var scope = new PagerDutyScope(["PSBLMB1", "PSBDDB1"], ["PSBTEAM"]);

        Assert.Equal(covered, scope.Covers(service, [team]));
        Assert.True(new PagerDutyScope(["PSBLMB1"], []).Covers("PSBLMB1", []));
        Assert.False(new PagerDutyScope([], ["PSBTEAM"]).Covers("PSBLMB1", []));
    }

    [Fact]
    public void A_complete_section_is_valid()
    {
        Assert.Empty(new PagerDutyOptions { ApiToken = "t", WebhookSecret = "s", FromEmail = "bot@securebase.example", ServiceIds = ["PSBLMB1"] }.Problems());
    }
}
