using Bot.PagerDuty;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bot.IntegrationTests.Slack;
using Bot.Testing;
using Bot.Testing.PagerDuty;
using Bot.Workflows.Incidents;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.IntegrationTests.Incidents;

/// <summary>
/// A storm over the real endpoint: 500 signed <c>incident.triggered</c> webhooks as fast as PagerDuty could send them, all
/// answered 202, every incident recorded, and what goes to Slack bounded by the storm limit instead of 500 threads.
/// </summary>
public sealed class IncidentStormOverHttpTests
{
    private const string Secret = "storm-secret";
    private const int Incidents = 500;

    [Fact]
    public async Task Five_hundred_webhooks_are_all_stored_answered_and_recorded_while_slack_gets_a_digest_not_five_hundred_threads()
    {
        await using var pagerDuty = await PagerDutyApiFake.StartAsync();
        await using var bot = await SlackBot.StartAsync(settings =>
        {
            settings["PagerDuty:ApiToken"] = "pd-test-token";
            settings["PagerDuty:WebhookSecret"] = Secret;
            settings["PagerDuty:FromEmail"] = "securebase-bot@securebase.example";
            settings["PagerDuty:ServiceIds:0"] = "PNE3JZM"; // the fixture's service
            settings["PagerDuty:ApiBaseUrl"] = pagerDuty.BaseUrl;
            settings["PagerDuty:EventsBaseUrl"] = pagerDuty.BaseUrl;
            settings["Incidents:ReconcileEvery"] = "00:00:00";
            settings["Incidents:Storm:MaxPerMinute"] = "10";
            settings["Slack:OpsChannelId"] = "C0OPS";
        });
        var template = JsonNode.Parse(Fixtures.ReadText("pagerduty/webhooks-v3/raw/aldaviva.incident.triggered.json"))!;

        using var gate = new SemaphoreSlim(8);
        var answers = await Task.WhenAll(Enumerable.Range(0, Incidents).Select(async n =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await bot.SendAsync(Delivery(template, n));
                return response.StatusCode;
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Accepted, status));
        var store = bot.Factory.Services.GetRequiredService<IWorkflowStore>();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while ((await store.ListPendingWorkAsync(PagerDutyInbox.Queue, 10, CancellationToken.None)).Count > 0) await Task.Delay(100, patience.Token);

        var incidents = (await store.ListAggregatesAsync(Incident.Type, null, 1000, CancellationToken.None)).Select(r => (Incident)Incident.Definition.Restore(r)).ToList();
        Assert.Equal(Incidents, incidents.Count);
        Assert.Equal(10, incidents.Count(i => !i.Data.Quiet));
        var toSlack = await store.CountPendingOutboxAsync(CancellationToken.None) + bot.Slack.Calls("chat.postMessage").Count + bot.Slack.Calls("chat.update").Count;
        Assert.InRange(toSlack, 10, 100);
    }

    private static HttpRequestMessage Delivery(JsonNode template, int n)
    {
        var webhook = template.DeepClone();
        webhook["event"]!["id"] = $"01STORM{n:D5}";
        webhook["event"]!["data"]!["id"] = $"QSTORM{n:D5}";
        webhook["event"]!["data"]!["number"] = 1000 + n;
        webhook["event"]!["data"]!["title"] = $"Lambda function errors #{n}";
        var body = Encoding.UTF8.GetBytes(webhook.ToJsonString());
        var request = new HttpRequestMessage(HttpMethod.Post, PagerDutyRoutes.Webhooks) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(PagerDutySignatureVerifier.SignatureHeader, PagerDutySignatureVerifier.Sign(Secret, body));
        request.Headers.TryAddWithoutValidation(PagerDutyWebhookEndpoint.WebhookIdHeader, $"storm-{n}");
        return request;
    }
}
