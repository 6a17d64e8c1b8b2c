using System.Net;
using System.Text.Json;

namespace Bot.Sandbox.Tests;

public sealed class LogsSandboxTests : IAsyncLifetime
{
    private const string Group = "/aws/lambda/securebase-prod-user-management";
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task<List<JsonElement>> AllEvents(object request)
    {
        var events = new List<JsonElement>();
        var body = JsonSerializer.SerializeToNode(request)!.AsObject();
        while (true)
        {
            var answer = await _sandbox.LogsAsync("FilterLogEvents", body);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            events.AddRange(answer.Body.GetProperty("events").EnumerateArray());
            if (!answer.Body.TryGetProperty("nextToken", out var token)) return events;
            body["nextToken"] = token.GetString();
        }
    }

    [Fact]
    public async Task FilterLogEvents_answers_with_the_modeled_members_in_time_order()
    {
        var answer = await _sandbox.LogsAsync("FilterLogEvents", new { logGroupName = Group, startTime = _sandbox.NowMs - 3_600_000 });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("application/x-amz-json-1.1", answer.Response.Content.Headers.ContentType?.MediaType);
        AwsShapes.AssertMatches("logs", "FilterLogEventsResponse", answer.Body);
        var times = answer.Body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("timestamp").GetInt64()).ToList();
        Assert.True(times.Count > 100);
        Assert.Equal(times.Order(), times);
        Assert.All(times, t => Assert.InRange(t, _sandbox.NowMs - 3_600_000, _sandbox.NowMs));
    }

    [Fact]
    public async Task Paging_with_nextToken_returns_each_event_once()
    {
        var window = new { logGroupName = Group, startTime = _sandbox.NowMs - 2 * 3_600_000, endTime = _sandbox.NowMs };
        var whole = await AllEvents(window);
        var paged = await AllEvents(new { window.logGroupName, window.startTime, window.endTime, limit = 37 });

        Assert.Equal(whole.Select(e => e.GetProperty("eventId").GetString()), paged.Select(e => e.GetProperty("eventId").GetString()));
        Assert.Equal(paged.Count, paged.Select(e => e.GetProperty("eventId").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task The_ERROR_pattern_finds_only_error_lines()
    {
        var errors = await AllEvents(new { logGroupName = Group, startTime = _sandbox.NowMs - 6 * 3_600_000, filterPattern = "ERROR" });

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Contains("ERROR", e.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Alternatives_phrases_and_exclusions_filter_as_CloudWatch_does()
    {
        var start = _sandbox.NowMs - 6 * 3_600_000;
        var either = await AllEvents(new { logGroupName = Group, startTime = start, filterPattern = "?ERROR ?REPORT" });
        var phrase = await AllEvents(new { logGroupName = Group, startTime = start, filterPattern = "\"Invite created\"" });
        var excluded = await AllEvents(new { logGroupName = Group, startTime = start, filterPattern = "RequestId -REPORT" });

        Assert.Contains(either, e => e.GetProperty("message").GetString()!.Contains("ERROR"));
        Assert.Contains(either, e => e.GetProperty("message").GetString()!.StartsWith("REPORT"));
        Assert.All(either, e => Assert.True(e.GetProperty("message").GetString()!.Contains("ERROR") || e.GetProperty("message").GetString()!.Contains("REPORT")));
        Assert.NotEmpty(phrase);
        Assert.All(phrase, e => Assert.Contains("Invite created", e.GetProperty("message").GetString()));
        Assert.Empty(excluded);
    }

    [Fact]
    public async Task Logs_now_and_then_hold_personal_data_for_redaction_to_catch()
    {
        var emails = await AllEvents(new { logGroupName = Group, startTime = _sandbox.NowMs - 24 * 3_600_000, filterPattern = "%[a-z.]+@[a-z-]+\\.[a-z]+%" });

        Assert.NotEmpty(emails);
    }

    [Fact]
    public async Task An_unknown_group_or_a_bad_pattern_or_token_is_refused()
    {
        var group = await _sandbox.LogsAsync("FilterLogEvents", new { logGroupName = "/aws/lambda/nope" });
        var pattern = await _sandbox.LogsAsync("FilterLogEvents", new { logGroupName = Group, filterPattern = "\"unclosed" });
        var token = await _sandbox.LogsAsync("FilterLogEvents", new { logGroupName = Group, nextToken = "not-a-token" });

        Assert.Equal(HttpStatusCode.BadRequest, group.Status);
        Assert.Equal("ResourceNotFoundException", group.ErrorType);
        Assert.Equal("InvalidParameterException", pattern.ErrorType);
        Assert.Equal("InvalidParameterException", token.ErrorType);
    }

    [Fact]
    public async Task An_Insights_count_of_errors_agrees_with_FilterLogEvents()
    {
        var end = _sandbox.NowSeconds;
        var start = end - 6 * 3600;
        var errors = await AllEvents(new { logGroupName = Group, startTime = start * 1000, endTime = end * 1000 + 999, filterPattern = "ERROR" });

        var started = await _sandbox.LogsAsync("StartQuery", new
        {
            logGroupName = Group, startTime = start, endTime = end,
            queryString = "filter @message like /ERROR/ | stats count(*) as errors",
        });
        AwsShapes.AssertMatches("logs", "StartQueryResponse", started.Body);
        var results = await _sandbox.LogsAsync("GetQueryResults", new { queryId = started.Body.GetProperty("queryId").GetString() });

        AwsShapes.AssertMatches("logs", "GetQueryResultsResponse", results.Body);
        Assert.Equal("Complete", results.Body.GetProperty("status").GetString());
        var row = Assert.Single(results.Body.GetProperty("results").EnumerateArray());
        var field = Assert.Single(row.EnumerateArray());
        Assert.Equal("errors", field.GetProperty("field").GetString());
        Assert.Equal(errors.Count.ToString(), field.GetProperty("value").GetString());
    }

    [Fact]
    public async Task An_Insights_query_returns_the_latest_matching_rows_with_the_asked_fields()
    {
        var started = await _sandbox.LogsAsync("StartQuery", new
        {
            logGroupNames = new[] { Group, "/aws/lambda/securebase-prod-session-management" },
            startTime = _sandbox.NowSeconds - 3600, endTime = _sandbox.NowSeconds,
            queryString = "fields @timestamp, @message | filter @message like /REPORT/ | sort @timestamp desc | limit 5",
        });
        var results = await _sandbox.LogsAsync("GetQueryResults", new { queryId = started.Body.GetProperty("queryId").GetString() });

        var rows = results.Body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(5, rows.Count);
        foreach (var row in rows)
        {
            var fields = row.EnumerateArray().ToDictionary(f => f.GetProperty("field").GetString()!, f => f.GetProperty("value").GetString()!);
            Assert.StartsWith("REPORT", fields["@message"]);
            Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$", fields["@timestamp"]);
            Assert.True(fields.ContainsKey("@ptr"));
        }
        var stamps = rows.Select(r => r.EnumerateArray().First(f => f.GetProperty("field").GetString() == "@timestamp").GetProperty("value").GetString()).ToList();
        Assert.Equal(stamps.OrderDescending(StringComparer.Ordinal), stamps);
    }

    [Fact]
    public async Task A_malformed_query_is_MalformedQueryException_and_an_unknown_query_id_is_not_found()
    {
        var bad = await _sandbox.LogsAsync("StartQuery", new { logGroupName = Group, startTime = 1, endTime = 2, queryString = "parse @message \"* *\" as a, b" });
        var unknown = await _sandbox.LogsAsync("GetQueryResults", new { queryId = "1a2b" });

        Assert.Equal("MalformedQueryException", bad.ErrorType);
        Assert.Equal("ResourceNotFoundException", unknown.ErrorType);
    }

    [Fact]
    public async Task DescribeLogGroups_lists_the_function_groups_and_the_rotation_functions_by_prefix()
    {
        var answer = await _sandbox.LogsAsync("DescribeLogGroups", new { logGroupNamePrefix = "/aws/lambda/securebase-prod-" });

        var names = answer.Body.GetProperty("logGroups").EnumerateArray().Select(g => g.GetProperty("logGroupName").GetString()).ToList();
        Assert.Equal(new[]
        {
            "/aws/lambda/securebase-prod-report-engine",
            "/aws/lambda/securebase-prod-secret-rotation",
            "/aws/lambda/securebase-prod-session-management",
            "/aws/lambda/securebase-prod-user-management",
        }, names);
    }

    [Fact]
    public async Task A_query_can_be_made_to_run_for_some_polls_before_it_completes()
    {
        await using var slow = await SandboxHttp.StartAsync(o => o.QueryPollsBeforeComplete = 2);
        var started = await slow.LogsAsync("StartQuery", new { logGroupName = Group, startTime = slow.NowSeconds - 600, endTime = slow.NowSeconds, queryString = "stats count(*)" });
        var id = started.Body.GetProperty("queryId").GetString();

        var states = new List<string>();
        for (var i = 0; i < 3; i++)
            states.Add((await slow.LogsAsync("GetQueryResults", new { queryId = id })).Body.GetProperty("status").GetString()!);

        Assert.Equal(new[] { "Running", "Running", "Complete" }, states);
    }

    [Fact]
    public async Task A_page_without_a_time_window_stops_at_about_a_megabyte_and_offers_a_token()
    {
        var answer = await _sandbox.LogsAsync("FilterLogEvents", new { logGroupName = Group });

        var events = answer.Body.GetProperty("events").EnumerateArray().ToList();
        Assert.InRange(events.Sum(e => e.GetProperty("message").GetString()!.Length + 26), 900_000, 1_048_576);
        Assert.True(events.Count < 10_000);
        Assert.True(answer.Body.TryGetProperty("nextToken", out _));
    }
}
