using Bot.Testing;
using System.Text.Json;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Rest;
using Bot.Testing.PagerDuty;
using Bot.Testing.Slack;

namespace Bot.Integrations.Tests.PagerDuty;

public class PagerDutyClientTests
{
    private const string Incident = "PT4KHLK";

    /// <summary>The fixture incident with another status, as GET /incidents/{id} would answer.</summary>
    internal static ScriptedResponse IncidentWithStatus(string status)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(PagerDutyApiFake.FixtureBody("rest/get-incident.response.json"))!;
        body["incident"]!["status"] = status;
        return new ScriptedResponse(200, body.ToJsonString());
    }

    [Fact]
    public async Task Get_incident_sends_the_token_and_version_headers_and_reads_the_documented_incident()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();

        var incident = await pd.Client.GetIncidentAsync(Incident, CancellationToken.None);

        var call = Assert.Single(pd.Fake.Calls("GET", "/incidents/" + Incident));
        Assert.Equal("Token token=" + PagerDutyApiHarness.ApiToken, call.Header("Authorization"));
        Assert.Equal("application/vnd.pagerduty+json;version=2", call.Header("Accept"));
        Assert.Null(call.Header("From"));
        Assert.Equal(IncidentStatus.Acknowledged, incident.KnownStatus);
        Assert.Equal(1234, incident.IncidentNumber);
        Assert.Equal("The server is on fire.", incident.Title);
        Assert.Equal("high", incident.Urgency);
        Assert.Equal("P2", incident.Priority?.DisplayName);
        Assert.Equal("PIJ90N7", incident.Service?.Id);
        Assert.Equal("PT20YPA", incident.EscalationPolicy?.Id);
        Assert.Equal("PXPGF42", Assert.Single(incident.Assignments).Assignee?.Id);
        Assert.Equal("Earline Greenholt", Assert.Single(incident.Acknowledgements).Acknowledger?.Summary);
        Assert.Equal(["unacknowledge", "resolve"], incident.PendingActions.Select(a => a.Type));
        Assert.Equal(new DateTimeOffset(2015, 11, 10, 1, 2, 52, TimeSpan.Zero), incident.PendingActions[0].At);
        Assert.Equal(new DateTimeOffset(2015, 10, 6, 21, 38, 23, TimeSpan.Zero), incident.LastStatusChangeAt);
        Assert.Null(incident.NextEscalationAt);
    }

    [Fact]
    public async Task Acknowledge_puts_the_documented_body_with_the_actors_from_header_after_reading_the_incident()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("GET", "/incidents/" + Incident, IncidentWithStatus("triggered"));

        var update = await pd.Client.AcknowledgeAsync(Incident, "alice@securebase.example", CancellationToken.None);

        var put = Assert.Single(pd.Fake.Calls("PUT", "/incidents/" + Incident));
        Assert.Equal("alice@securebase.example", put.Header("From"));
        Assert.Equal("Token token=" + PagerDutyApiHarness.ApiToken, put.Header("Authorization"));
        Assert.Equal("application/vnd.pagerduty+json;version=2", put.Header("Accept"));
        Assert.StartsWith("application/json", put.Header("Content-Type"));
        var documented = JsonDocument.Parse(Bot.Testing.Fixtures.ReadText("pagerduty/rest/update-incident.request.json")).RootElement.GetProperty("body");
        Assert.True(JsonElement.DeepEquals(documented, put.Json), put.Body);
        Assert.True(update.Changed);
        Assert.Equal(IncidentStatus.Resolved, update.Incident.KnownStatus); // the documented PUT response
        Assert.Equal(["GET", "PUT"], pd.Fake.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task Acknowledging_an_acknowledged_incident_writes_nothing()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();

        var update = await pd.Client.AcknowledgeAsync(Incident, "alice@securebase.example", CancellationToken.None);

        Assert.False(update.Changed);
        Assert.Empty(pd.Fake.Calls("PUT", "/incidents/" + Incident));
    }

    [Fact]
    public async Task Acknowledging_a_resolved_incident_is_refused_because_it_would_reopen_it()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("GET", "/incidents/" + Incident, IncidentWithStatus("resolved"));

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.AcknowledgeAsync(Incident, "alice@securebase.example", CancellationToken.None));

        Assert.Equal(PagerDutyErrorKind.AlreadyResolved, error.Kind);
        Assert.Contains("already resolved", error.Message);
        Assert.Empty(pd.Fake.Calls("PUT", "/incidents/" + Incident));
    }

    [Fact]
    public async Task Resolve_sends_the_status_and_the_resolution_note()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();

        await pd.Client.ResolveAsync(Incident, "bob@securebase.example", "Rolled back PROD to version 6", CancellationToken.None);

        var put = Assert.Single(pd.Fake.Calls("PUT", "/incidents/" + Incident));
        Assert.Equal("""{"incident":{"type":"incident_reference","status":"resolved","resolution":"Rolled back PROD to version 6"}}""", put.Body);
        Assert.Equal("bob@securebase.example", put.Header("From"));
    }

    [Fact]
    public async Task Resolving_a_resolved_incident_writes_nothing()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("GET", "/incidents/" + Incident, IncidentWithStatus("resolved"));

        var update = await pd.Client.ResolveAsync(Incident, "bob@securebase.example", null, CancellationToken.None);

        Assert.False(update.Changed);
        Assert.Empty(pd.Fake.Calls("PUT", "/incidents/" + Incident));
    }

    [Fact]
    public async Task Escalate_sends_the_escalation_level()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();

        await pd.Client.EscalateAsync(Incident, 2, PagerDutyApiHarness.FromEmail, CancellationToken.None);

        var put = Assert.Single(pd.Fake.Calls("PUT", "/incidents/" + Incident));
        Assert.Equal("""{"incident":{"type":"incident_reference","escalation_level":2}}""", put.Body);
        Assert.Equal(PagerDutyApiHarness.FromEmail, put.Header("From"));
    }

    [Fact]
    public async Task Reassign_sends_user_references_as_assignments()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();

        await pd.Client.ReassignAsync(Incident, ["PBOB001"], "alice@securebase.example", CancellationToken.None);

        var put = Assert.Single(pd.Fake.Calls("PUT", "/incidents/" + Incident));
        Assert.Equal("""{"incident":{"type":"incident_reference","assignments":[{"assignee":{"id":"PBOB001","type":"user_reference"}}]}}""", put.Body);
    }

    [Fact]
    public async Task Reassigning_to_the_current_assignee_writes_nothing()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();

        var update = await pd.Client.ReassignAsync(Incident, ["PXPGF42"], "alice@securebase.example", CancellationToken.None);

        Assert.False(update.Changed);
        Assert.Empty(pd.Fake.Calls("PUT", "/incidents/" + Incident));
    }

    [Fact]
    public async Task Snooze_posts_the_duration_in_seconds()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();

        await pd.Client.SnoozeAsync(Incident, TimeSpan.FromMinutes(30), "alice@securebase.example", CancellationToken.None);

        var post = Assert.Single(pd.Fake.Calls("POST", $"/incidents/{Incident}/snooze"));
        Assert.Equal("""{"duration":1800}""", post.Body);
        Assert.Equal("alice@securebase.example", post.Header("From"));
    }

    [Fact]
    public async Task Add_note_posts_the_documented_body_and_reads_the_documented_note()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();

        var note = await pd.Client.AddNoteAsync(Incident, "Firefighters are on the scene.", "alice@securebase.example", CancellationToken.None);

        var post = Assert.Single(pd.Fake.Calls("POST", $"/incidents/{Incident}/notes"));
        var documented = JsonDocument.Parse(Bot.Testing.Fixtures.ReadText("pagerduty/rest/create-incident-note.request.json")).RootElement.GetProperty("body");
        Assert.True(JsonElement.DeepEquals(documented, post.Json), post.Body);
        Assert.Equal("alice@securebase.example", post.Header("From"));
        Assert.Equal("PWL7QXS", note.Id);
        Assert.Equal("Earline Greenholt", note.User?.Summary);
        Assert.Equal(new DateTimeOffset(2013, 3, 6, 15, 28, 51, TimeSpan.FromHours(-5)), note.CreatedAt);
    }

    [Fact]
    public async Task Open_incidents_are_triggered_and_acknowledged_over_all_time_and_every_page_is_read()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("GET", "/incidents",
            new ScriptedResponse(200, """{"incidents":[{"id":"Q1","status":"triggered"},{"id":"Q2","status":"acknowledged"}],"limit":2,"offset":0,"more":true,"total":null}"""),
            new ScriptedResponse(200, """{"incidents":[{"id":"Q3","status":"triggered","assignments":null}],"limit":2,"offset":2,"more":false,"total":null}"""));

        var open = await pd.Client.ListOpenIncidentsAsync(CancellationToken.None);

        Assert.Equal(["Q1", "Q2", "Q3"], open.Select(i => i.Id));
        Assert.Empty(open[2].Assignments);
        var calls = pd.Fake.Calls("GET", "/incidents");
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal(["triggered", "acknowledged"], c.QueryValues("statuses[]")));
        Assert.All(calls, c => Assert.Equal(["all"], c.QueryValues("date_range")));
        Assert.Equal(["0", "2"], calls.Select(c => c.QueryValues("offset").Single()));
        Assert.All(calls, c => Assert.Equal(["100"], c.QueryValues("limit")));
    }

    [Fact]
    public async Task On_calls_are_asked_for_one_escalation_policy_and_read_from_the_documented_answer()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();

        var onCalls = await pd.Client.ListOnCallsAsync("PT20YPA", includeUsers: true, CancellationToken.None);

        var call = Assert.Single(pd.Fake.Calls("GET", "/oncalls"));
        Assert.Equal(["PT20YPA"], call.QueryValues("escalation_policy_ids[]"));
        Assert.Equal(["users"], call.QueryValues("include[]"));
        var onCall = Assert.Single(onCalls);
        Assert.Equal("Tim Wright", onCall.User?.Summary);
        Assert.Equal(2, onCall.EscalationLevel);
        Assert.Equal("PI7DH85", onCall.Schedule?.Id);
        Assert.Equal(new DateTimeOffset(2015, 3, 7, 15, 28, 51, TimeSpan.FromHours(-5)), onCall.End);
    }

    [Fact]
    public async Task A_user_is_found_by_the_exact_email_not_by_a_partial_match()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        const string users = """{"users":[{"id":"PALICE2","type":"user","name":"Alice Two","email":"alice2@securebase.example"},{"id":"PALICE1","type":"user","name":"Alice","email":"Alice@SecureBase.example"}],"limit":100,"offset":0,"more":false,"total":null}""";
        pd.Fake.Script("GET", "/users", new ScriptedResponse(200, users), new ScriptedResponse(200, users));

        var alice = await pd.Client.FindUserByEmailAsync("alice@securebase.example", CancellationToken.None);
        var nobody = await pd.Client.FindUserByEmailAsync("lice@securebase.example", CancellationToken.None);

        Assert.Equal("PALICE1", alice?.Id);
        Assert.Null(nobody);
        Assert.Equal(["alice@securebase.example"], pd.Fake.Calls("GET", "/users")[0].QueryValues("query"));
    }

    [Fact]
    public async Task An_escalation_policy_is_read_with_its_rules_in_order()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("GET", "/escalation_policies/PSB0001", new ScriptedResponse(200, """
            {"escalation_policy":{"id":"PSB0001","type":"escalation_policy","name":"SecureBase","num_loops":0,"escalation_rules":[
              {"id":"R1","escalation_delay_in_minutes":15,"targets":[{"id":"PALICE1","type":"user_reference","summary":"Alice"}]},
              {"id":"R2","escalation_delay_in_minutes":30,"targets":[{"id":"PSCHED1","type":"schedule_reference","summary":"Senior DevOps"}]}]}}
            """));

        var policy = await pd.Client.GetEscalationPolicyAsync("PSB0001", CancellationToken.None);

        Assert.Equal("SecureBase", policy.Name);
        Assert.Equal([15, 30], policy.EscalationRules.Select(r => r.EscalationDelayInMinutes));
        Assert.Equal("schedule_reference", policy.EscalationRules[1].Targets[0].Type);
    }

    [Fact]
    public async Task The_escalation_level_is_the_level_the_assignee_is_on_call_for()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("GET", "/oncalls", new ScriptedResponse(200, """
            {"oncalls":[
              {"user":{"id":"PALICE1","summary":"Alice"},"escalation_policy":{"id":"PT20YPA"},"escalation_level":1},
              {"user":{"id":"PXPGF42","summary":"Earline Greenholt"},"escalation_policy":{"id":"PT20YPA"},"escalation_level":2},
              {"user":{"id":"PCAROL1","summary":"Carol"},"escalation_policy":{"id":"PT20YPA"},"escalation_level":3}],
             "limit":100,"offset":0,"more":false,"total":null}
            """));

        var escalation = await pd.Client.GetIncidentEscalationAsync(Incident, CancellationToken.None);

        Assert.Equal(2, escalation.Level);
        Assert.Equal(["Earline Greenholt"], escalation.LevelOnCalls.Select(u => u.Summary));
        Assert.Equal(["PT20YPA"], Assert.Single(pd.Fake.Calls("GET", "/oncalls")).QueryValues("escalation_policy_ids[]"));
    }

    [Fact]
    public async Task Without_a_token_every_call_says_pagerduty_is_not_configured_and_nothing_is_sent()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync(s =>
        {
            s.Remove("PagerDuty:ApiToken");
            s.Remove("PagerDuty:WebhookSecret");
            s.Remove("PagerDuty:FromEmail");
            s.Remove("PagerDuty:RoutingKeys:securebase-prod-lambda");
        });

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.GetIncidentAsync(Incident, CancellationToken.None));

        Assert.Equal(PagerDutyErrorKind.NotConfigured, error.Kind);
        Assert.Contains("PagerDuty is not configured", error.Message);
        Assert.False(pd.Client.IsConfigured);
        Assert.Empty(pd.Fake.Requests);
    }
}
