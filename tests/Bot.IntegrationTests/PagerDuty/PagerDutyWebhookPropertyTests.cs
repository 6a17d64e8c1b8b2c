using Bot.PagerDuty;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bot.Integrations.PagerDuty;
using Bot.IntegrationTests.Slack;
using Bot.Workflows.Storage;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.IntegrationTests.PagerDuty;

/// <summary>
/// Correctly signed arbitrary JSON on <c>POST /pagerduty/webhooks</c>, with the bot's own incident handling behind it:
/// whatever the body, the answer is 202 or 400 (never a 500), a refused body stores nothing, and no workflow comes of
/// it. (The bodies are JSON trees, some shaped like a V3 envelope with event types PagerDuty never sends; a genuine
/// <c>incident.triggered</c> would open a thread, as it should, so none is generated, and PagerDuty's API is unreachable.)
/// </summary>
public sealed class PagerDutyWebhookPropertyTests : IAsyncLifetime
{
    private const string Secret = "property-test-webhook-secret";
    private static readonly HttpStatusCode[] Acceptable = [HttpStatusCode.Accepted, HttpStatusCode.BadRequest];
    private static readonly string[] Keys = ["event", "id", "event_type", "resource_type", "occurred_at", "agent", "data", "status", "incident", "type", "title", "number", "html_url", "assignees"];
    private static readonly string[] EventTypes = ["service.updated", "incident.conference_bridge.updated", "pagey.ping", "incident.workflow.started", "", "incident."];

    private SlackBot _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await SlackBot.StartAsync(settings =>
        {
            settings["PagerDuty:WebhookSecret"] = Secret;
            settings["PagerDuty:ApiToken"] = "pd-property-token";
            settings["PagerDuty:FromEmail"] = "securebase-bot@securebase.example";
            settings["PagerDuty:ServiceIds:0"] = "PSBLMB1";
            // Nothing here may reach the real PagerDuty: no API on this port, and no reconciler polling it.
            settings["PagerDuty:ApiBaseUrl"] = "http://127.0.0.1:9/";
            settings["Incidents:ReconcileEvery"] = "00:00:00";
            settings["Slack:OpsChannelId"] = "C0OPS";
        });
        _ = _bot.Client;
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private IWorkflowStore Store => _bot.Factory.Services.GetRequiredService<IWorkflowStore>();

    private static Gen<string> Leaf() => Gen.OneOf(
        Gen.Constant("null"), Gen.Constant("true"), Gen.Constant("[]"), Gen.Constant("{}"),
        ArbMap.Default.GeneratorFor<int>().Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Elements(EventTypes.Concat(Keys).ToArray()).Select(s => JsonSerializer.Serialize(s)),
        ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => JsonSerializer.Serialize(s.Get)));

    private static Gen<string> Value(int depth) => depth <= 0 ? Leaf() : Gen.Frequency((3, Leaf()), (2, Object(depth - 1)), (1, Array(depth - 1)));

    private static Gen<string> Object(int depth) =>
        from count in Gen.Choose(0, 5)
        from pairs in Gen.ArrayOf(from key in Gen.Elements(Keys) from value in Value(depth) select $"\"{key}\":{value}", count)
        select "{" + string.Join(",", pairs) + "}";

    private static Gen<string> Array(int depth) =>
        from count in Gen.Choose(0, 3)
        from items in Gen.ArrayOf(Value(depth), count)
        select "[" + string.Join(",", items) + "]";

    /// <summary>An envelope <c>{"event":{…}}</c> with an event type PagerDuty never sends or junk fields, or any JSON at all.</summary>
    private static Gen<string> Bodies() => Gen.Frequency(
        (3, from type in Gen.Elements(EventTypes) from id in Leaf() from data in Value(2) from rest in Object(2)
            select $$$"""{"event":{"id":{{{id}}},"event_type":"{{{type}}}","data":{{{data}}}},"extra":{{{rest}}}}"""),
        (2, Value(3)));

    private HttpRequestMessage Signed(string json, int n)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(HttpMethod.Post, PagerDutyRoutes.Webhooks) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(PagerDutySignatureVerifier.SignatureHeader, PagerDutySignatureVerifier.Sign(Secret, body));
        request.Headers.TryAddWithoutValidation(PagerDutyWebhookEndpoint.WebhookIdHeader, $"property-{n}");
        return request;
    }

    private int _sent;

    [Property(MaxTest = 150)]
    public Property Signed_arbitrary_json_is_answered_202_or_400_and_a_refused_body_stores_nothing() =>
        Prop.ForAll(Bodies().ToArbitrary(), json =>
        {
            var stored = Store.ListPendingWorkAsync(PagerDutyInbox.Queue, 1000, CancellationToken.None).GetAwaiter().GetResult().Count;
            using var response = _bot.SendAsync(Signed(json, Interlocked.Increment(ref _sent))).GetAwaiter().GetResult();
            var after = Store.ListPendingWorkAsync(PagerDutyInbox.Queue, 1000, CancellationToken.None).GetAwaiter().GetResult().Count;
            return Acceptable.Contains(response.StatusCode) && (response.StatusCode == HttpStatusCode.Accepted || after <= stored);
        });

    [Fact]
    public async Task No_workflow_comes_of_any_of_them()
    {
        var generated = Bodies().Sample(200, 20).ToList();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < generated.Count; i++)
        {
            using var response = await _bot.SendAsync(Signed(generated[i], 10_000 + i));
            statuses.Add(response.StatusCode);
        }
        // The inbox hands what it stored to the incident handling; wait until it is through.
        Assert.True(await Reliability.BotRig.WaitUntilAsync(async () => (await Store.ListPendingWorkAsync(PagerDutyInbox.Queue, 10, CancellationToken.None)).Count == 0, TimeSpan.FromSeconds(30)));

        Assert.All(statuses, s => Assert.Contains(s, Acceptable));
        Assert.Contains(HttpStatusCode.Accepted, statuses);
        Assert.Contains(HttpStatusCode.BadRequest, statuses);
        foreach (var type in new[] { "incident", "incident-intake", "change" })
            Assert.Empty(await Store.ListAggregatesAsync(type, null, 10, CancellationToken.None));
    }
}
