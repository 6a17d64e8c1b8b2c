using Bot.Testing;
using Bot.Integrations.PagerDuty;
using Bot.Testing.PagerDuty;
using Bot.Testing.Slack;

namespace Bot.Integrations.Tests.PagerDuty;

public class PagerDutyClientErrorTests
{
    private const string Incident = "PT4KHLK";

    [Fact]
    public async Task An_already_resolved_answer_becomes_a_sentence_with_pagerdutys_code()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("GET", "/incidents/" + Incident, PagerDutyClientTests.IncidentWithStatus("triggered"));
        pd.Fake.Script("PUT", "/incidents/" + Incident, PagerDutyApiFake.Error(400, 1001, "Incident Already Resolved"));

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.AcknowledgeAsync(Incident, "alice@securebase.example", CancellationToken.None));

        Assert.Equal(1001, error.ErrorCode);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal(PagerDutyErrorKind.AlreadyResolved, error.Kind);
        Assert.Equal($"PagerDuty refused to acknowledge incident {Incident}: the incident is already resolved.", error.Message);
        Assert.False(error.Transient);
    }

    [Fact]
    public async Task A_forbidden_answer_says_the_user_has_no_access()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("GET", "/incidents/" + Incident, PagerDutyApiFake.Error(403, 2010, "Access Denied"));

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.GetIncidentAsync(Incident, CancellationToken.None));

        Assert.Equal(PagerDutyErrorKind.AccessDenied, error.Kind);
        Assert.Equal($"PagerDuty refused to read incident {Incident}: the user has no access.", error.Message);
    }

    [Fact]
    public async Task A_requester_without_a_pagerduty_account_is_named_as_such()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("POST", $"/incidents/{Incident}/notes", PagerDutyApiFake.Error(400, 1008, "Requester User Not Found"));

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.AddNoteAsync(Incident, "hi", "mallory@elsewhere.example", CancellationToken.None));

        Assert.Equal(PagerDutyErrorKind.RequesterNotFound, error.Kind);
        Assert.Contains("has no PagerDuty account", error.Message);
    }

    [Fact]
    public async Task A_rejected_token_points_at_the_setting()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("GET", "/incidents/" + Incident, PagerDutyApiFake.Error(401, 2006, "Authentication failed"));

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.GetIncidentAsync(Incident, CancellationToken.None));

        Assert.Equal(PagerDutyErrorKind.InvalidToken, error.Kind);
        Assert.Contains("PagerDuty__ApiToken", error.Message);
        Assert.DoesNotContain(PagerDutyApiHarness.ApiToken, error.Message);
    }

    [Fact]
    public async Task Invalid_input_details_from_pagerduty_are_plain_text_that_slack_gets_escaped()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("GET", "/incidents/" + Incident, PagerDutyClientTests.IncidentWithStatus("triggered"));
        pd.Fake.Script("PUT", "/incidents/" + Incident, PagerDutyApiFake.Error(400, 2001, "Invalid Input Provided", "Escalation level <b>9</b> & more"));

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.EscalateAsync(Incident, 9, "alice@securebase.example", CancellationToken.None));

        Assert.Equal(PagerDutyErrorKind.InvalidInput, error.Kind);
        Assert.Contains("Escalation level <b>9</b> & more", error.Message);
        Assert.Contains("Escalation level &lt;b&gt;9&lt;/b&gt; &amp; more", Bot.Integrations.Slack.SlackMrkdwn.Render(error.Text));
        Assert.Equal(["Escalation level <b>9</b> & more"], error.Details);
    }

    [Fact]
    public async Task A_get_is_retried_after_a_server_error()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("GET", "/incidents/" + Incident, PagerDutyApiFake.Error(500, 2000, "An internal error has occurred."));

        var incident = await pd.Client.GetIncidentAsync(Incident, CancellationToken.None);

        Assert.Equal(Incident, incident.Id);
        Assert.Equal([500, 200], pd.Fake.Calls("GET", "/incidents/" + Incident).Select(c => c.Status));
    }

    [Fact]
    public async Task A_put_with_an_absolute_status_is_retried_after_a_server_error()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("GET", "/incidents/" + Incident, PagerDutyClientTests.IncidentWithStatus("triggered"));
        pd.Fake.Script("PUT", "/incidents/" + Incident, new ScriptedResponse(503, "upstream"));

        await pd.Client.AcknowledgeAsync(Incident, "alice@securebase.example", CancellationToken.None);

        Assert.Equal([503, 200], pd.Fake.Calls("PUT", "/incidents/" + Incident).Select(c => c.Status));
    }

    [Fact]
    public async Task A_note_is_never_retried_after_a_server_error_because_it_may_have_been_added()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("POST", $"/incidents/{Incident}/notes", PagerDutyApiFake.Error(500, 2000, "An internal error has occurred."));

        var error = await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.AddNoteAsync(Incident, "Rolled back", "alice@securebase.example", CancellationToken.None));

        Assert.Single(pd.Fake.Calls("POST", $"/incidents/{Incident}/notes"));
        Assert.True(error.Transient);
        Assert.Equal(PagerDutyErrorKind.ServerError, error.Kind);
    }

    [Fact]
    public async Task A_rate_limited_note_is_sent_again_after_retry_after_because_pagerduty_did_not_process_it()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("POST", $"/incidents/{Incident}/notes",
            new ScriptedResponse(429, """{"error":{"message":"Rate Limit Exceeded","code":2020}}""", new Dictionary<string, string> { ["Retry-After"] = "0" }));

        await pd.Client.AddNoteAsync(Incident, "Rolled back", "alice@securebase.example", CancellationToken.None);

        Assert.Equal([429, 201], pd.Fake.Calls("POST", $"/incidents/{Incident}/notes").Select(c => c.Status));
    }

    [Fact]
    public async Task Pagerdutys_ratelimit_reset_header_is_honoured_like_retry_after()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("GET", "/oncalls",
            new ScriptedResponse(429, """{"error":{"message":"Rate Limit Exceeded","code":2020}}""", new Dictionary<string, string> { ["ratelimit-reset"] = "0", ["ratelimit-limit"] = "960", ["ratelimit-remaining"] = "0" }));

        await pd.Client.ListOnCallsAsync("PT20YPA", includeUsers: false, CancellationToken.None);

        Assert.Equal([429, 200], pd.Fake.Calls("GET", "/oncalls").Select(c => c.Status));
    }

    [Fact]
    public async Task A_long_rate_limit_is_handed_back_with_how_long_to_wait()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("GET", "/incidents/" + Incident,
            new ScriptedResponse(429, """{"error":{"message":"Rate Limit Exceeded","code":2020}}""", new Dictionary<string, string> { ["ratelimit-reset"] = "45" }));

        var error = await Assert.ThrowsAsync<PagerDutyRateLimitedException>(() => pd.Client.GetIncidentAsync(Incident, CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(45), error.RetryAfter);
        Assert.True(error.Transient);
        Assert.Single(pd.Fake.Calls("GET", "/incidents/" + Incident));
    }

    [Fact]
    public async Task The_api_token_and_routing_key_never_reach_the_log()
    {
        await using var pd = await PagerDutyApiHarness.StartAsync();
        pd.Fake.Script("GET", "/incidents/" + Incident, PagerDutyApiFake.Error(500, 2000, "boom"), PagerDutyApiFake.Error(401, 2006, "Authentication failed"));
        pd.Fake.Script("POST", "/v2/enqueue", new ScriptedResponse(500, "{}"));

        await Assert.ThrowsAsync<PagerDutyApiException>(() => pd.Client.GetIncidentAsync(Incident, CancellationToken.None));
        await pd.Client.AcknowledgeAsync(Incident, "alice@securebase.example", CancellationToken.None);
        await pd.Events.TriggerAsync(PagerDutyApiHarness.RoutingKey, "securebase/lambda-errors", new Bot.Integrations.PagerDuty.Events.AlertPayload
        {
            Summary = "Lambda errors", Source = "securebase-prod-user-management", Severity = "critical",
        }, CancellationToken.None);

        // The log did see the traffic (so this check is not vacuous) …
        Assert.Contains(pd.Log.Lines, l => l.Contains("/incidents/" + Incident, StringComparison.Ordinal));
        Assert.Contains(pd.Log.Lines, l => l.Contains("/v2/enqueue", StringComparison.Ordinal));
        // … but never the secrets.
        Assert.DoesNotContain(PagerDutyApiHarness.ApiToken, pd.Log.Text);
        Assert.DoesNotContain(PagerDutyApiHarness.RoutingKey, pd.Log.Text);
    }
}
