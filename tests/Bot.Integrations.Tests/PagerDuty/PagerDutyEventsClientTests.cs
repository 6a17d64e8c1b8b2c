using System.Text.Json;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Events;
using Bot.Testing;
using Bot.Testing.PagerDuty;
using Bot.Testing.Slack;

namespace Bot.Integrations.Tests.PagerDuty;

public class PagerDutyEventsClientTests
{
    private static JsonElement DocumentedBody(string fixture) =>
        JsonDocument.Parse(Fixtures.ReadText("pagerduty/events-v2/" + fixture)).RootElement.GetProperty("body");

    [Fact]
    public async Task A_trigger_goes_to_v2_enqueue_with_routing_key_dedup_key_and_payload_and_no_rest_token()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();

        var result = await pd.Events.TriggerAsync(PagerDutyApiHarness.RoutingKey, "srv01/mysql", new AlertPayload
        {
            Summary = "DISK at 99% on machine prod-datapipe03.example.com",
            Source = "prod-datapipe03.example.com",
            Severity = AlertSeverity.Critical.ToWire(),
            Component = "mysql",
            Group = "prod-datapipe",
            Class = "disk",
        }, CancellationToken.None);

        var call = Assert.Single(pd.Fake.Calls("POST", "/v2/enqueue"));
        Assert.Null(call.Header("Authorization"));
        Assert.StartsWith("application/json", call.Header("Content-Type"));
        var documented = DocumentedBody("enqueue.trigger.request.json");
        var sent = call.Json;
        foreach (var field in new[] { "routing_key", "dedup_key", "event_action" })
            Assert.Equal(documented.GetProperty(field).GetString(), sent.GetProperty(field).GetString());
        foreach (var field in new[] { "summary", "source", "severity", "component", "group", "class" })
            Assert.Equal(documented.GetProperty("payload").GetProperty(field).GetString(), sent.GetProperty("payload").GetProperty(field).GetString());
        Assert.Equal("srv01/HTTP", result.DedupKey); // what the documented 202 answer carries
        Assert.Equal("Event processed", result.Message);
    }

    [Theory]
    [InlineData("docs.acknowledge.request.json")]
    [InlineData("docs.resolve.request.json")]
    public async Task Acknowledge_and_resolve_send_exactly_the_documented_body(string fixture)
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();

        if (fixture.Contains("acknowledge")) await pd.Events.AcknowledgeAsync("routingkeyhere", "dedupkeyhere", CancellationToken.None);
        else await pd.Events.ResolveAsync("routingkeyhere", "dedupkeyhere", CancellationToken.None);

        var call = Assert.Single(pd.Fake.Calls("POST", "/v2/enqueue"));
        Assert.True(JsonElement.DeepEquals(DocumentedBody(fixture), call.Json), call.Body);
    }

    [Fact]
    public async Task A_trigger_is_retried_after_a_server_error_because_its_dedup_key_makes_a_repeat_harmless()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("POST", "/v2/enqueue", new ScriptedResponse(502, "{}"));

        await pd.Events.TriggerAsync(PagerDutyApiHarness.RoutingKey, "securebase/lambda-errors",
            new AlertPayload { Summary = "Lambda errors", Source = "securebase-prod-user-management", Severity = "error" }, CancellationToken.None);

        var calls = pd.Fake.Calls("POST", "/v2/enqueue");
        Assert.Equal([502, 202], calls.Select(c => c.Status));
        Assert.All(calls, c => Assert.Equal("securebase/lambda-errors", c.Json.GetProperty("dedup_key").GetString()));
    }

    [Fact]
    public async Task An_invalid_event_is_refused_with_the_events_apis_own_reasons()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("POST", "/v2/enqueue", new ScriptedResponse(400, DocumentedBody("enqueue.response-error.json").GetRawText()));

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Events.ResolveAsync(PagerDutyApiHarness.RoutingKey, "x", CancellationToken.None));

        Assert.Equal(PagerDutyErrorKind.InvalidInput, error.Kind);
        Assert.Equal("PagerDuty's Events API refused to resolve alert x: Event object format is unrecognized; JSON parse error.", error.Message);
        Assert.Single(pd.Fake.Calls("POST", "/v2/enqueue"));
    }

    [Fact]
    public async Task A_service_without_a_routing_key_is_refused_naming_the_known_ones()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();

        Assert.Equal(PagerDutyApiHarness.RoutingKey, pd.Events.RoutingKeyFor("SecureBase-Prod-Lambda"));
        var error = Assert.Throws<Bot.Integrations.IntegrationException>(() => pd.Events.RoutingKeyFor("billing"));
        Assert.Equal("There is no PagerDuty service called `billing`. Known services: `securebase-prod-lambda`.", Bot.Integrations.Slack.SlackMrkdwn.Render(error.Text));
    }
}
