using System.Net;
using System.Text;
using System.Text.Json;

namespace Bot.Sandbox.Tests;

public sealed class FaultSandboxTests : IAsyncLifetime
{
    private const string Users = "securebase-prod-user-management";
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task<string> AlarmState(string name)
    {
        var answer = await _sandbox.CloudWatchAsync("DescribeAlarms", new { AlarmNames = new[] { name } });
        return Assert.Single(answer.Body.GetProperty("MetricAlarms").EnumerateArray()).GetProperty("StateValue").GetString()!;
    }

    private async Task<double> SumOverLast(int minutes, string ns, string metric, string dimension, string value)
    {
        var end = _sandbox.NowSeconds - _sandbox.NowSeconds % 60;
        var answer = await _sandbox.CloudWatchAsync("GetMetricData", new
        {
            StartTime = end - minutes * 60,
            EndTime = end,
            MetricDataQueries = new[]
            {
                new { Id = "m", MetricStat = new { Metric = new { Namespace = ns, MetricName = metric, Dimensions = new[] { new { Name = dimension, Value = value } } }, Period = 60, Stat = "Sum" } },
            },
        });
        return Assert.Single(answer.Body.GetProperty("MetricDataResults").EnumerateArray()).GetProperty("Values").EnumerateArray().Sum(v => v.GetDouble());
    }

    private async Task<List<string>> ErrorLines(string function, long sinceMs)
    {
        var answer = await _sandbox.LogsAsync("FilterLogEvents", new { logGroupName = "/aws/lambda/" + function, startTime = sinceMs, filterPattern = "ERROR" });
        return answer.Body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
    }

    private Task<HttpResponseMessage> Control(HttpMethod method, string path, string? json = null) =>
        _sandbox.Client.SendAsync(new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") });

    [Fact]
    public async Task A_function_that_starts_erroring_shows_it_in_metrics_logs_and_its_alarm()
    {
        Assert.Equal("OK", await AlarmState(Users + "-errors"));
        var healthy = await SumOverLast(10, "AWS/Lambda", "Errors", "FunctionName", Users);
        var since = _sandbox.NowMs;

        var set = await Control(HttpMethod.Post, "/_sandbox/faults/function-errors", $$"""{"function":"{{Users}}","rate":0.4}""");
        Assert.Equal(HttpStatusCode.Created, set.StatusCode);
        _sandbox.Time.Advance(TimeSpan.FromMinutes(10));

        var failing = await SumOverLast(10, "AWS/Lambda", "Errors", "FunctionName", Users);
        Assert.True(failing > healthy + 50, $"errors went from {healthy} to {failing}");
        Assert.Equal("ALARM", await AlarmState(Users + "-errors"));
        var errors = await ErrorLines(Users, since);
        Assert.Contains(errors, m => m.Contains("Runtime.UnhandledPromiseRejection"));
        Assert.Equal("OK", await AlarmState("securebase-prod-session-management-errors"));
    }

    [Fact]
    public async Task Rolling_PROD_back_from_a_bad_version_stops_the_errors()
    {
        var good = _sandbox.Account.Function(Users)!.Aliases["PROD"].Current.Version;
        var bad = await Control(HttpMethod.Post, "/_sandbox/faults/bad-next-version", $$"""{"function":"{{Users}}"}""");
        Assert.Equal(HttpStatusCode.Created, bad.StatusCode);

        var published = await _sandbox.LambdaAsync(HttpMethod.Post, $"/2015-03-31/functions/{Users}/versions", new { Description = "1.8.0" });
        var version = published.Body.GetProperty("Version").GetString();
        await _sandbox.LambdaAsync(HttpMethod.Put, $"/2015-03-31/functions/{Users}/aliases/PROD", new { FunctionVersion = version });
        var deployedAt = _sandbox.NowMs;
        _sandbox.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal("ALARM", await AlarmState(Users + "-errors"));
        Assert.Contains(await ErrorLines(Users, deployedAt), m => m.Contains($"\"version\":\"{version}\""));

        await _sandbox.LambdaAsync(HttpMethod.Put, $"/2015-03-31/functions/{Users}/aliases/PROD", new { FunctionVersion = good });
        var rolledBackAt = _sandbox.NowMs;
        _sandbox.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal("OK", await AlarmState(Users + "-errors"));
        Assert.DoesNotContain(await ErrorLines(Users, rolledBackAt + 60_000), m => m.Contains($"\"version\":\"{version}\""));
        Assert.True(await SumOverLast(5, "AWS/Lambda", "Errors", "FunctionName", Users) < 5);
    }

    [Fact]
    public async Task A_throttling_table_raises_ThrottledRequests_its_alarm_and_errors_in_the_functions_using_it()
    {
        const string table = "securebase-prod-activity-feed";
        Assert.Equal(0, await SumOverLast(10, "AWS/DynamoDB", "ThrottledRequests", "TableName", table));

        _sandbox.Account.Faults.TableThrottles(table, 0.3);
        _sandbox.Time.Advance(TimeSpan.FromMinutes(4));

        Assert.True(await SumOverLast(3, "AWS/DynamoDB", "ThrottledRequests", "TableName", table) > 10);
        Assert.Equal("ALARM", await AlarmState(table + "-throttles"));
        var warnings = await _sandbox.LogsAsync("FilterLogEvents", new
        {
            logGroupName = "/aws/lambda/securebase-prod-user-management", startTime = _sandbox.NowMs - 180_000, filterPattern = "\"request throttled\"",
        });
        Assert.NotEmpty(warnings.Body.GetProperty("events").EnumerateArray());
        Assert.Contains(await ErrorLines("securebase-prod-user-management", _sandbox.NowMs - 180_000), m => m.Contains("ProvisionedThroughputExceededException"));
        Assert.DoesNotContain(await ErrorLines("securebase-prod-report-engine", _sandbox.NowMs - 180_000), m => m.Contains("ProvisionedThroughputExceededException"));
    }

    [Fact]
    public async Task Clearing_the_open_incident_lets_the_5xx_alarm_return_to_OK()
    {
        Assert.Equal("ALARM", await AlarmState("securebase-prod-api-5xx"));

        var cleared = await Control(HttpMethod.Delete, "/_sandbox/faults");
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        _sandbox.Time.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal("OK", await AlarmState("securebase-prod-api-5xx"));
        var faults = await (await Control(HttpMethod.Get, "/_sandbox/faults")).Content.ReadAsStringAsync();
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(faults).RootElement.ValueKind);
        Assert.Empty(JsonDocument.Parse(faults).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task A_latency_fault_holds_the_answer_until_the_delay_has_passed()
    {
        _sandbox.Account.Faults.Latency(TimeSpan.FromSeconds(2), "DescribeTable");

        var pending = _sandbox.DynamoAsync("DescribeTable", new { TableName = "securebase-prod-reports" });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (_sandbox.Account.Faults.HeldRequests == 0) await Task.Delay(5, timeout.Token);
        _sandbox.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(pending.IsCompleted);
        _sandbox.Time.Advance(TimeSpan.FromSeconds(1));

        var answer = await pending.WaitAsync(timeout.Token);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(0, _sandbox.Account.Faults.HeldRequests);
    }

    [Fact]
    public async Task An_error_fault_fails_the_operation_the_given_number_of_times()
    {
        var set = await Control(HttpMethod.Post, "/_sandbox/faults/error", """{"operation":"GetFunction","code":"TooManyRequestsException","status":429,"times":1}""");
        Assert.Equal(HttpStatusCode.Created, set.StatusCode);

        var first = await _sandbox.LambdaAsync(HttpMethod.Get, $"/2015-03-31/functions/{Users}");
        var second = await _sandbox.LambdaAsync(HttpMethod.Get, $"/2015-03-31/functions/{Users}");

        Assert.Equal((HttpStatusCode)429, first.Status);
        Assert.Equal("TooManyRequestsException", first.Header("x-amzn-ErrorType"));
        Assert.Equal(HttpStatusCode.OK, second.Status);
    }

    [Fact]
    public async Task An_error_fault_on_a_JSON_service_answers_in_that_protocol_until_cleared()
    {
        var fault = _sandbox.Account.Faults.Error("dynamodb", "InternalServerError", 500);

        var failed = await _sandbox.DynamoAsync("DescribeTable", new { TableName = "securebase-prod-reports" });
        Assert.True(_sandbox.Account.Faults.Clear(fault.Id));
        var ok = await _sandbox.DynamoAsync("DescribeTable", new { TableName = "securebase-prod-reports" });

        Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
        Assert.Equal("com.amazonaws.dynamodb.v20120810#InternalServerError", failed.Body.GetProperty("__type").GetString());
        Assert.Equal(HttpStatusCode.OK, ok.Status);
    }

    [Theory]
    [InlineData("/_sandbox/faults/function-errors", """{"function":"securebase-prod-nope"}""", "no function")]
    [InlineData("/_sandbox/faults/function-errors", """{"rate":0.5}""", "function")]
    [InlineData("/_sandbox/faults/table-throttle", """{"table":"securebase-prod-reports","rate":7}""", "rate")]
    [InlineData("/_sandbox/faults/latency", """{"operation":"DescribeTable"}""", "ms")]
    [InlineData("/_sandbox/faults/latency", """{"ms":1e300}""", "ms")]
    [InlineData("/_sandbox/faults/error", """{"service":"lambda","code":"Boom","times":0.5}""", "times")]
    [InlineData("/_sandbox/faults/error", """{"operation":"GetFunction","code":"Boom","status":200}""", "status")]
    [InlineData("/_sandbox/faults/meteor", """{}""", "Unknown fault kind")]
    [InlineData("/_sandbox/faults/function-errors", "not json", "not valid JSON")]
    public async Task Bad_fault_requests_get_a_400_saying_what_to_send_and_change_nothing(string path, string body, string hint)
    {
        var before = _sandbox.Account.Faults.All;

        var answer = await Control(HttpMethod.Post, path, body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var error = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        Assert.Contains(hint, error);
        Assert.Same(before, _sandbox.Account.Faults.All);
    }

    [Fact]
    public async Task Clearing_an_unknown_fault_is_a_404()
    {
        var answer = await Control(HttpMethod.Delete, "/_sandbox/faults/f999");

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }

    [Fact]
    public async Task The_control_summary_shows_credentials_functions_and_faults()
    {
        var answer = await Control(HttpMethod.Get, "/_sandbox");
        var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("AKIASANDBOX000000001", body.GetProperty("credentials").GetProperty("accessKeyId").GetString());
        Assert.Equal(9, body.GetProperty("functions").GetArrayLength());
        Assert.Equal("api-errors", Assert.Single(body.GetProperty("faults").EnumerateArray()).GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("securebase-prod-report-engine")]
    [InlineData("securebase-staging-report-engine")]
    [InlineData("securebase-dev-report-engine")]
    [InlineData("securebase-dev-user-management")]
    public async Task Even_a_quiet_function_trips_its_errors_alarm_when_it_fails_half_its_calls(string function)
    {
        _sandbox.Account.Faults.FunctionErrors(function);
        _sandbox.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal("ALARM", await AlarmState(function + "-errors"));
    }

    [Fact]
    public async Task Alarm_history_records_the_incident_opening_and_closing()
    {
        _sandbox.Account.Faults.ClearAll();
        _sandbox.Time.Advance(TimeSpan.FromMinutes(8));

        var answer = await _sandbox.CloudWatchAsync("DescribeAlarmHistory", new { AlarmName = "securebase-prod-api-5xx", HistoryItemType = "StateUpdate" });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var items = answer.Body.GetProperty("AlarmHistoryItems").EnumerateArray().ToList();
        Assert.Equal(new[] { "Alarm updated from ALARM to OK", "Alarm updated from OK to ALARM" }, items.Select(i => i.GetProperty("HistorySummary").GetString()));
        var opened = DateTimeOffset.FromUnixTimeMilliseconds((long)(items[1].GetProperty("Timestamp").GetDouble() * 1000));
        var closed = DateTimeOffset.FromUnixTimeMilliseconds((long)(items[0].GetProperty("Timestamp").GetDouble() * 1000));
        Assert.InRange(opened, SandboxHttp.Start.AddMinutes(-25), SandboxHttp.Start);
        Assert.InRange(closed, SandboxHttp.Start, _sandbox.Time.GetUtcNow());
        var data = JsonDocument.Parse(items[1].GetProperty("HistoryData").GetString()!).RootElement;
        Assert.Equal("ALARM", data.GetProperty("newState").GetProperty("stateValue").GetString());
        Assert.StartsWith("Threshold Crossed", data.GetProperty("newState").GetProperty("stateReason").GetString());
    }
}
