using Bot.Tests.Sandbox;
using Bot.Testing;
using Bot.Tests;
using System.Net;
using System.Text;
using System.Text.Json;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Events;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.Sandbox.PagerDuty;

namespace Bot.Tests.Sandbox.PagerDuty;

/// <summary>The simulated REST and Events APIs: authentication, lookups, lists and events, through the bot's clients.</summary>
public class PagerDutySandboxApiTests
{
    private static string LambdaKey => PagerDutyDirectory.ServiceByName(PagerDutyDirectory.LambdaService)!.RoutingKey;

    private static AlertPayload Payload(string summary) => new() { Summary = summary, Source = "securebase-prod-user-management", Severity = AlertSeverity.Critical.ToWire() };

    [Fact]
    public void Ids_repeat_under_a_fixed_clock_but_are_new_on_every_real_run()
    {
        static string FirstIncidentId(DateTimeOffset created)
        {
            using var pagerDuty = new SandboxPagerDuty(new SandboxPagerDutyOptions(), new Microsoft.Extensions.Time.Testing.FakeTimeProvider(created), seed: 7);
            return pagerDuty.Trigger(PagerDutyDirectory.Services[0], "x", "critical", null).Id;
        }

        Assert.Equal(FirstIncidentId(PagerDutySandbox.Start), FirstIncidentId(PagerDutySandbox.Start));
        Assert.NotEqual(FirstIncidentId(PagerDutySandbox.Start), FirstIncidentId(PagerDutySandbox.Start.AddSeconds(1)));
    }

    [Fact]
    public async Task Told_to_fail_its_rest_api_answers_503_its_events_api_429_and_both_work_again_when_healed()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        pd.PagerDuty.Failures.Set(PagerDutyFailureKind.ServerError, 1);
        var outage = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.ListOpenIncidentsAsync(CancellationToken.None));
        pd.PagerDuty.Failures.Set(PagerDutyFailureKind.RateLimited, 1);
        var throttled = await Assert.ThrowsAsync<PagerDutyRateLimitedException>(() => pd.Events.TriggerAsync(LambdaKey, "k-1", Payload("x"), CancellationToken.None));

        pd.PagerDuty.Failures.Clear();

        Assert.Equal(503, outage.HttpStatus);
        Assert.True(outage.Transient);
        Assert.Equal(429, throttled.HttpStatus);
        Assert.Empty(pd.PagerDuty.Incidents);
        Assert.Empty(await pd.Client.ListOpenIncidentsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Listing_incidents_by_service_or_team_leaves_the_other_teams_out()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        var ours = pd.PagerDuty.Trigger(PagerDutyDirectory.Services[0], "Ours", "critical", null);
        pd.PagerDuty.Trigger(PagerDutyDirectory.PaymentsService, "Theirs", "critical", null);

        var open = await pd.Client.ListOpenIncidentsAsync(CancellationToken.None); // the client's scope: SecureBase's team

        Assert.Equal([ours.Id], open.Select(i => i.Id));
        Assert.Equal(PagerDutyDirectory.TeamId, Assert.Single(open).Teams.Single().Id);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_as_pagerduty_does()
    {
        await using var pd = await PagerDutySandbox.StartAsync(token: "not-the-sandbox-token");

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.ListOpenIncidentsAsync(CancellationToken.None));

        Assert.Equal(PagerDutyErrorKind.InvalidToken, error.Kind);
        Assert.Equal(2006, error.ErrorCode);
        Assert.Equal(401, error.HttpStatus);
    }

    [Fact]
    public async Task Someone_without_a_pagerduty_account_cannot_act()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        var incident = pd.PagerDuty.Trigger(PagerDutyDirectory.Services[0], "Test", "critical", null);

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.AcknowledgeAsync(incident.Id, "mallory@elsewhere.example", CancellationToken.None));

        Assert.Equal(PagerDutyErrorKind.RequesterNotFound, error.Kind);
        Assert.Equal("triggered", pd.PagerDuty.Incident(incident.Id)!.Status);
    }

    [Fact]
    public async Task An_unknown_incident_is_not_found()
    {
        await using var pd = await PagerDutySandbox.StartAsync();

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.GetIncidentAsync("QNOSUCHINCIDENT", CancellationToken.None));

        Assert.Equal(PagerDutyErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task A_shift_change_puts_someone_else_on_call_from_then_on_and_new_incidents_page_them()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        pd.Time.Advance(TimeSpan.FromHours(8));

        using var handed = await pd.Http.PutAsync("/_sandbox/pagerduty/oncall",
            new StringContent("""{"level":1,"user":"erin@securebase.example"}""", Encoding.UTF8, "application/json"));
        var onCalls = await pd.Client.ListOnCallsAsync(PagerDutyDirectory.PolicyId, includeUsers: true, CancellationToken.None);
        var paged = pd.PagerDuty.Trigger(PagerDutyDirectory.Services[0], "Lambda function errors", "critical", null);
        using var nobody = await pd.Http.PutAsync("/_sandbox/pagerduty/oncall", new StringContent("""{"level":1,"user":"mallory@elsewhere.example"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, handed.StatusCode);
        var first = onCalls.Single(o => o.EscalationLevel == 1);
        Assert.Equal(("erin@securebase.example", PagerDutySandbox.Start.AddHours(8)), (first.User!.Email, first.Start));
        Assert.Null(onCalls.Single(o => o.EscalationLevel == 2).Start);
        Assert.Equal(["erin@securebase.example"], paged.Assignees);
        Assert.Equal(HttpStatusCode.BadRequest, nobody.StatusCode);
    }

    [Fact]
    public async Task On_calls_users_and_the_escalation_policy_describe_the_ops_guides_path()
    {
        await using var pd = await PagerDutySandbox.StartAsync();

        var onCalls = await pd.Client.ListOnCallsAsync(PagerDutyDirectory.PolicyId, includeUsers: true, CancellationToken.None);
        var bob = await pd.Client.FindUserByEmailAsync("BOB@securebase.example", CancellationToken.None);
        var nobody = await pd.Client.FindUserByEmailAsync("mallory@elsewhere.example", CancellationToken.None);
        var policy = await pd.Client.GetEscalationPolicyAsync(PagerDutyDirectory.PolicyId, CancellationToken.None);
        var otherPolicy = await pd.Client.ListOnCallsAsync("POTHER1", includeUsers: false, CancellationToken.None);

        Assert.Equal([(1, "alice@securebase.example"), (2, "bob@securebase.example"), (3, "carol@securebase.example"), (4, "dave@securebase.example")],
            onCalls.Select(o => (o.EscalationLevel, o.User!.Email!)));
        Assert.Equal(PagerDutyDirectory.Bob.Id, bob?.Id);
        Assert.Null(nobody);
        Assert.Equal([15, 30, 60, 120], policy.EscalationRules.Select(r => r.EscalationDelayInMinutes));
        Assert.Equal(0, policy.NumLoops);
        Assert.Empty(otherPolicy);
    }

    [Fact]
    public async Task Open_incidents_are_listed_across_pages()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        for (var i = 0; i < 130; i++) pd.PagerDuty.Trigger(PagerDutyDirectory.Services[i % 3], $"Incident {i}", "error", $"key-{i}");
        var resolved = pd.PagerDuty.Incidents[7].Id;
        await pd.Client.ResolveAsync(resolved, "bob@securebase.example", null, CancellationToken.None);

        var open = await pd.Client.ListOpenIncidentsAsync(CancellationToken.None);

        Assert.Equal(129, open.Count);
        Assert.DoesNotContain(open, i => i.Id == resolved);
        Assert.Equal(129, open.Select(i => i.Id).Distinct().Count());
    }

    [Fact]
    public async Task An_events_api_trigger_with_the_same_dedup_key_adds_to_the_open_incident_and_resolve_closes_it()
    {
        await using var pd = await PagerDutySandbox.StartAsync();

        var first = await pd.Events.TriggerAsync(pd.Events.RoutingKeyFor(PagerDutyDirectory.LambdaService), "securebase/lambda-errors", Payload("Lambda errors"), CancellationToken.None);
        await pd.Events.TriggerAsync(LambdaKey, "securebase/lambda-errors", Payload("Lambda errors again"), CancellationToken.None);
        var incident = Assert.Single(pd.PagerDuty.Incidents);
        await pd.Events.ResolveAsync(LambdaKey, "securebase/lambda-errors", CancellationToken.None);

        Assert.Equal("securebase/lambda-errors", first.DedupKey);
        Assert.Equal("Lambda errors", incident.Title);
        Assert.Equal("resolved", pd.PagerDuty.Incident(incident.Id)!.Status);
        var webhooks = await pd.WebhooksAsync(2);
        Assert.Equal([PagerDutyEventKind.Triggered, PagerDutyEventKind.Resolved], webhooks.Select(w => w.Kind));
        Assert.Equal("service_reference", webhooks[1].Agent?.Type);
    }

    [Fact]
    public async Task An_events_api_acknowledge_acknowledges_the_open_incident_with_that_key()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        await pd.Events.TriggerAsync(LambdaKey, "k1", Payload("Lambda errors"), CancellationToken.None);

        await pd.Events.AcknowledgeAsync(LambdaKey, "k1", CancellationToken.None);
        await pd.Events.AcknowledgeAsync(LambdaKey, "no-such-key", CancellationToken.None);

        Assert.Equal("acknowledged", Assert.Single(pd.PagerDuty.Incidents).Status);
    }

    [Fact]
    public async Task An_invalid_event_is_refused_with_pagerdutys_reasons()
    {
        await using var pd = await PagerDutySandbox.StartAsync();

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Events.TriggerAsync(LambdaKey, "k1",
            new AlertPayload { Summary = "x", Source = "y", Severity = "catastrophic" }, CancellationToken.None));
        var raw = await pd.Http.PostAsync("/pagerduty-events/v2/enqueue", new StringContent("{not json", Encoding.UTF8, "application/json"));

        Assert.Equal(PagerDutyErrorKind.InvalidInput, error.Kind);
        Assert.Contains("'payload.severity' is invalid", error.Message);
        Assert.Equal(HttpStatusCode.BadRequest, raw.StatusCode);
        Assert.Equal("Event object format is unrecognized", JsonDocument.Parse(await raw.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        Assert.Empty(pd.PagerDuty.Incidents);
    }

    [Fact]
    public async Task An_unknown_routing_key_is_refused()
    {
        await using var pd = await PagerDutySandbox.StartAsync();

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Events.TriggerAsync("00000000000000000000000000000000", "k", Payload("x"), CancellationToken.None));

        Assert.Contains("Invalid routing key", error.Message);
    }

    [Fact]
    public async Task The_control_api_describes_the_account_and_pages_scenarios()
    {
        await using var pd = await PagerDutySandbox.StartAsync();

        var summary = JsonDocument.Parse(await pd.Http.GetStringAsync("/_sandbox/pagerduty")).RootElement;
        var unknown = await pd.Http.PostAsync("/_sandbox/pagerduty/incidents/disk-full", null);
        var throttling = await pd.Http.PostAsync("/_sandbox/pagerduty/incidents/dynamodb-throttling",
            new StringContent("""{"target":"securebase-prod-user-sessions","rate":0.3}""", Encoding.UTF8, "application/json"));

        Assert.Equal(pd.PagerDuty.Options.ApiToken, summary.GetProperty("apiToken").GetString());
        Assert.Equal(4, summary.GetProperty("escalationPolicy").GetProperty("levels").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("lambda-errors, dynamodb-throttling, api-5xx", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, throttling.StatusCode);
        var incident = Assert.Single(pd.PagerDuty.Incidents);
        Assert.Equal("securebase-prod-dynamodb", incident.Service);
        Assert.Equal("DynamoDB throttling: securebase-prod-user-sessions is throttling 30% of requests", incident.Title);
    }
}
