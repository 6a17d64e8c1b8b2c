using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Bot.Integrations.PagerDuty;
using Bot.IntegrationTests.Slack;
using Bot.PagerDuty;
using Bot.Testing;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.IntegrationTests.PagerDuty;

/// <summary>
/// Which PagerDuty settings the server needs to start. The webhook secret is required only where webhooks arrive: when
/// Slack reaches the bot over HTTP (a signing secret), since PagerDuty posts to the same public URL. Over Socket Mode
/// alone there is no such URL: the bot starts without it and refuses any delivery that reaches it.
/// </summary>
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

    [Fact]
    public async Task Socket_Mode_with_a_signing_secret_too_takes_webhooks_over_http_so_the_webhook_secret_is_required()
    {
        var result = await BotProcess.RunAsync([], environment: new Dictionary<string, string>
        {
            ["Slack__SigningSecret"] = "slack-secret",
            ["Slack__AppToken"] = "xapp-1-A0START-startup-test",
            ["Slack__BotToken"] = "xoxb-startup-test",
            ["PagerDuty__ApiToken"] = "pd-token-value-1234",
            ["PagerDuty__FromEmail"] = "ops-bot@securebase.example",
            ["PagerDuty__ServiceIds__0"] = "PSBLMB1",
        });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("PagerDuty__WebhookSecret is required", result.StandardError);
    }

    [Fact]
    public async Task Socket_Mode_alone_with_pagerduty_and_no_webhook_secret_starts_and_refuses_a_webhook_with_a_log_line()
    {
        var log = new RecordingLoggerProvider();
        await using var bot = await SlackBot.StartAsync(settings =>
        {
            settings["Slack:AppToken"] = "xapp-1-A0START-socket-mode-only";
            settings["Slack:SigningSecret"] = null;
            settings["PagerDuty:ApiToken"] = "pd-test-token";
            settings["PagerDuty:FromEmail"] = "securebase-bot@securebase.example";
            settings["PagerDuty:ServiceIds:0"] = "PSBLMB1";
            // Nothing here may reach the real PagerDuty: no API on this port, and no reconciler polling it.
            settings["PagerDuty:ApiBaseUrl"] = "http://127.0.0.1:9/";
            settings["Incidents:ReconcileEvery"] = "00:00:00";
        }, services => services.AddSingleton<ILoggerProvider>(log));

        var body = Fixtures.ReadBytes("pagerduty/webhooks-v3/raw/aldaviva.incident.triggered.json");
        using var delivery = new HttpRequestMessage(HttpMethod.Post, PagerDutyRoutes.Webhooks) { Content = new ByteArrayContent(body) };
        delivery.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        // Signed with some secret: whatever it is, the bot has none to check it against.
        delivery.Headers.TryAddWithoutValidation(PagerDutySignatureVerifier.SignatureHeader, PagerDutySignatureVerifier.Sign("any-secret", body));
        using var response = await bot.SendAsync(delivery);
        var stored = await bot.Factory.Services.GetRequiredService<IWorkflowStore>().ListPendingWorkAsync(PagerDutyInbox.Queue, 100, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(stored);
        Assert.True(bot.Factory.Services.GetRequiredService<PagerDutyClient>().IsConfigured);
        Assert.Contains(log.Lines, l => l.StartsWith("Error Bot.PagerDuty.PagerDutyWebhookEndpoint: PagerDuty webhook refused: PagerDuty__WebhookSecret is not set", StringComparison.Ordinal));
    }
}
