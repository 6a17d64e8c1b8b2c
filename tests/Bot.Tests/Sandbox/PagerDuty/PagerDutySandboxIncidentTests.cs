using Bot.Tests.Sandbox;
using Bot.Testing;
using Bot.Tests;
using System.Net;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Rest;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.Sandbox.Faults;
using Bot.Sandbox.PagerDuty;

namespace Bot.Tests.Sandbox.PagerDuty;

/// <summary>Incidents in the simulated PagerDuty, driven with the bot's own clients over HTTP.</summary>
public class PagerDutySandboxIncidentTests
{
    private const string Alice = "alice@securebase.example";

    private static async Task<string> PageLambdaErrorsAsync(PagerDutySandbox pd)
    {
        var response = await pd.Http.PostAsync("/_sandbox/pagerduty/incidents/lambda-errors", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Assert.Single(pd.PagerDuty.Incidents).Id;
    }

    [Fact]
    public async Task Paging_lambda_errors_breaks_the_function_and_opens_an_incident_through_the_events_api()
    {
        await using var pd = await PagerDutySandbox.StartAsync();

        var id = await PageLambdaErrorsAsync(pd);

        var fault = Assert.IsType<FunctionErrorFault>(Assert.Single(pd.Account.Faults.Active));
        Assert.Equal("securebase-prod-user-management", fault.Function);
        var triggered = Assert.Single(await pd.WebhooksAsync(1));
        Assert.Equal(PagerDutyEventKind.Triggered, triggered.Kind);
        Assert.Equal("service_reference", triggered.Agent?.Type);
        Assert.Equal(id, triggered.IncidentId);
        var incident = await pd.Client.GetIncidentAsync(id, CancellationToken.None);
        Assert.Equal(IncidentStatus.Triggered, incident.KnownStatus);
        Assert.Equal("Lambda function errors: securebase-prod-user-management is failing 50% of invocations", incident.Title);
        Assert.Equal("securebase-prod-lambda", incident.Service?.Summary);
        Assert.Equal("lambda-errors/securebase-prod-user-management", incident.IncidentKey);
        Assert.Equal("high", incident.Urgency);
        Assert.Equal(PagerDutyDirectory.Alice.Id, Assert.Single(incident.Assignments).Assignee?.Id);
        Assert.Equal(PagerDutySandbox.Start.AddMinutes(15), incident.NextEscalationAt);
        Assert.Equal(PagerDutyDirectory.PolicyId, incident.EscalationPolicy?.Id);
    }

    [Fact]
    public async Task Nobody_acknowledges_and_the_clock_escalates_through_the_four_levels_on_time_then_stays()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        var id = await PageLambdaErrorsAsync(pd);
        Assert.Equal(1, (await pd.Client.GetIncidentEscalationAsync(id, CancellationToken.None)).Level);

        pd.Time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.Equal(1, pd.PagerDuty.Incident(id)!.Level);
        pd.Time.Advance(TimeSpan.FromSeconds(1));
        var level2 = await pd.Client.GetIncidentEscalationAsync(id, CancellationToken.None);
        pd.Time.Advance(TimeSpan.FromMinutes(30));
        var level3 = await pd.Client.GetIncidentEscalationAsync(id, CancellationToken.None);
        pd.Time.Advance(TimeSpan.FromHours(1));
        var level4 = await pd.Client.GetIncidentEscalationAsync(id, CancellationToken.None);
        pd.Time.Advance(TimeSpan.FromHours(5));

        Assert.Equal((2, "Bob Okafor", PagerDutySandbox.Start.AddMinutes(45)), (level2.Level, level2.LevelOnCalls.Single().Summary, level2.NextEscalationAt));
        Assert.Equal((3, "Carol Diaz", PagerDutySandbox.Start.AddMinutes(105)), (level3.Level, level3.LevelOnCalls.Single().Summary, level3.NextEscalationAt));
        Assert.Equal((4, "Dave Kim", (DateTimeOffset?)null), (level4.Level, level4.LevelOnCalls.Single().Summary, level4.NextEscalationAt));
        Assert.Equal(4, pd.PagerDuty.Incident(id)!.Level);
        var webhooks = await pd.WebhooksAsync(4);
        Assert.Equal(["incident.triggered", "incident.escalated", "incident.escalated", "incident.escalated"], webhooks.Select(w => w.EventType));
        Assert.Equal(["Bob Okafor", "Carol Diaz", "Dave Kim"], webhooks.Skip(1).Select(w => w.Incident!.Assignees.Single().Summary));
        Assert.All(webhooks.Skip(1), w => Assert.Null(w.Agent));
        Assert.Equal(PagerDutySandbox.Start.AddMinutes(15), webhooks[1].OccurredAt);
    }

    [Fact]
    public async Task Acknowledging_stops_the_clock_until_the_acknowledgement_times_out()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        var id = await PageLambdaErrorsAsync(pd);
        pd.Time.Advance(TimeSpan.FromMinutes(5));

        var update = await pd.Client.AcknowledgeAsync(id, Alice, CancellationToken.None);
        pd.Time.Advance(TimeSpan.FromMinutes(20));
        var stillAcknowledged = await pd.Client.GetIncidentAsync(id, CancellationToken.None);
        pd.Time.Advance(TimeSpan.FromMinutes(10));
        var timedOut = await pd.Client.GetIncidentAsync(id, CancellationToken.None);

        Assert.True(update.Changed);
        Assert.Equal(IncidentStatus.Acknowledged, update.Incident.KnownStatus);
        Assert.Equal("Alice Chen", Assert.Single(update.Incident.Acknowledgements).Acknowledger?.Summary);
        Assert.Equal([("unacknowledge", PagerDutySandbox.Start.AddMinutes(35))], update.Incident.PendingActions.Select(a => (a.Type, a.At!.Value)));
        Assert.Equal(IncidentStatus.Acknowledged, stillAcknowledged.KnownStatus);
        Assert.Equal(IncidentStatus.Triggered, timedOut.KnownStatus);
        Assert.Equal(PagerDutySandbox.Start.AddMinutes(50), timedOut.NextEscalationAt);
        var webhooks = await pd.WebhooksAsync(3);
        Assert.Equal(["incident.triggered", "incident.acknowledged", "incident.unacknowledged"], webhooks.Select(w => w.EventType));
        Assert.Equal(PagerDutyDirectory.Alice.Id, webhooks[1].Agent?.Id);
    }

    [Fact]
    public async Task A_snoozed_incident_comes_back_triggered_when_the_snooze_ends()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        var id = await PageLambdaErrorsAsync(pd);
        await pd.Client.AcknowledgeAsync(id, Alice, CancellationToken.None);

        var snoozed = await pd.Client.SnoozeAsync(id, TimeSpan.FromHours(1), Alice, CancellationToken.None);
        pd.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal([("unacknowledge", PagerDutySandbox.Start.AddHours(1))], snoozed.PendingActions.Select(a => (a.Type, a.At!.Value)));
        Assert.Equal("triggered", pd.PagerDuty.Incident(id)!.Status);
        Assert.Equal(["incident.triggered", "incident.acknowledged", "incident.unacknowledged"], await pd.WebhookTypesAsync(3));
    }

    [Fact]
    public async Task Only_an_acknowledged_incident_can_be_snoozed()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        var id = await PageLambdaErrorsAsync(pd);

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.SnoozeAsync(id, TimeSpan.FromHours(1), Alice, CancellationToken.None));

        Assert.Equal(PagerDutyErrorKind.NotAcknowledged, error.Kind);
        Assert.Equal(1012, error.ErrorCode);
    }

    [Fact]
    public async Task Escalating_through_the_api_assigns_that_levels_on_call_and_restarts_its_clock()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        var id = await PageLambdaErrorsAsync(pd);
        pd.Time.Advance(TimeSpan.FromMinutes(3));

        var update = await pd.Client.EscalateAsync(id, 3, pd.Client.BotEmail, CancellationToken.None);
        var escalation = await pd.Client.GetIncidentEscalationAsync(id, CancellationToken.None);

        Assert.Equal(PagerDutyDirectory.Carol.Id, Assert.Single(update.Incident.Assignments).Assignee?.Id);
        Assert.Equal(3, escalation.Level);
        Assert.Equal(PagerDutySandbox.Start.AddMinutes(63), escalation.NextEscalationAt);
        var escalated = (await pd.WebhooksAsync(2))[1];
        Assert.Equal(PagerDutyEventKind.Escalated, escalated.Kind);
        Assert.Equal(PagerDutyDirectory.Bot.Id, escalated.Agent?.Id);
    }

    [Fact]
    public async Task Escalating_past_the_last_level_is_refused()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        var id = await PageLambdaErrorsAsync(pd);

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.EscalateAsync(id, 5, pd.Client.BotEmail, CancellationToken.None));

        Assert.Equal(PagerDutyErrorKind.CannotEscalate, error.Kind);
        Assert.Equal(1, pd.PagerDuty.Incident(id)!.Level);
    }

    [Fact]
    public async Task A_directly_reassigned_incident_no_longer_escalates_on_the_policy_clock()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        var id = await PageLambdaErrorsAsync(pd);

        var update = await pd.Client.ReassignAsync(id, [PagerDutyDirectory.Erin.Id], Alice, CancellationToken.None);
        pd.Time.Advance(TimeSpan.FromHours(4));

        Assert.Equal("direct_assignment", update.Incident.AssignedVia);
        Assert.Empty(update.Incident.PendingActions);
        Assert.Equal(["erin@securebase.example"], pd.PagerDuty.Incident(id)!.Assignees);
        Assert.Equal(["incident.triggered", "incident.reassigned"], await pd.WebhookTypesAsync(2));
    }

    [Fact]
    public async Task Resolving_ends_the_incident_and_the_client_never_reopens_it()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        var id = await PageLambdaErrorsAsync(pd);

        var resolved = await pd.Client.ResolveAsync(id, Alice, "Rolled back PROD", CancellationToken.None);
        var again = await pd.Client.ResolveAsync(id, Alice, null, CancellationToken.None);
        var acknowledge = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.AcknowledgeAsync(id, Alice, CancellationToken.None));
        pd.Time.Advance(TimeSpan.FromHours(4));

        Assert.True(resolved.Changed);
        Assert.Equal(IncidentStatus.Resolved, resolved.Incident.KnownStatus);
        Assert.Empty(resolved.Incident.Assignments);
        Assert.Empty(resolved.Incident.PendingActions);
        Assert.False(again.Changed);
        Assert.Equal(PagerDutyErrorKind.AlreadyResolved, acknowledge.Kind);
        Assert.Equal("resolved", pd.PagerDuty.Incident(id)!.Status);
        Assert.Equal(["incident.triggered", "incident.resolved"], await pd.WebhookTypesAsync(2));
    }

    [Fact]
    public async Task A_note_is_added_as_the_acting_user_and_announced()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        var id = await PageLambdaErrorsAsync(pd);

        var note = await pd.Client.AddNoteAsync(id, "Rolled back PROD to version 6", Alice, CancellationToken.None);

        Assert.Equal("Alice Chen", note.User?.Summary);
        Assert.Equal("Rolled back PROD to version 6", Assert.Single(pd.PagerDuty.Incident(id)!.Notes).Content);
        var annotated = (await pd.WebhooksAsync(2))[1];
        Assert.Equal(PagerDutyEventKind.Annotated, annotated.Kind);
        Assert.Equal("Rolled back PROD to version 6", annotated.Note?.Content);
        Assert.Equal(id, annotated.IncidentId);
    }
}
