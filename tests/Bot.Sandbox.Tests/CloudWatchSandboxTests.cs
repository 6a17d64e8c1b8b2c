using System.Net;
using System.Text.Json;

namespace Bot.Sandbox.Tests;

public sealed class CloudWatchSandboxTests : IAsyncLifetime
{
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static object Stat(string id, string ns, string metric, string dimension, string value, string stat, int period = 300) => new
    {
        Id = id,
        MetricStat = new
        {
            Metric = new { Namespace = ns, MetricName = metric, Dimensions = new[] { new { Name = dimension, Value = value } } },
            Period = period,
            Stat = stat,
        },
    };

    [Fact]
    public async Task The_account_starts_with_the_prod_API_5xx_alarm_in_ALARM_and_the_rest_OK()
    {
        var answer = await _sandbox.CloudWatchAsync("DescribeAlarms", new { MaxRecords = 100 });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AwsShapes.AssertMatches("cloudwatch", "DescribeAlarmsOutput", answer.Body);
        var alarms = answer.Body.GetProperty("MetricAlarms").EnumerateArray().ToList();
        Assert.Equal(36, alarms.Count);
        var alarming = alarms.Where(a => a.GetProperty("StateValue").GetString() == "ALARM").Select(a => a.GetProperty("AlarmName").GetString()).ToList();
        Assert.Equal(new[] { "securebase-prod-api-5xx" }, alarming);
        var fiveXx = alarms.Single(a => a.GetProperty("AlarmName").GetString() == "securebase-prod-api-5xx");
        Assert.Equal("5XXError", fiveXx.GetProperty("MetricName").GetString());
        Assert.StartsWith("Threshold Crossed", fiveXx.GetProperty("StateReason").GetString());
        var since = DateTimeOffset.FromUnixTimeMilliseconds((long)(fiveXx.GetProperty("StateUpdatedTimestamp").GetDouble() * 1000));
        Assert.InRange(since, SandboxHttp.Start.AddMinutes(-30), SandboxHttp.Start);
    }

    [Fact]
    public async Task Composite_alarms_are_listed_only_when_asked_for_as_AWS_does_and_follow_their_children()
    {
        var unasked = await _sandbox.CloudWatchAsync("DescribeAlarms", new { MaxRecords = 100 });
        var both = await _sandbox.CloudWatchAsync("DescribeAlarms", new { AlarmTypes = new[] { "CompositeAlarm", "MetricAlarm" }, MaxRecords = 100 });
        var firing = await _sandbox.CloudWatchAsync("DescribeAlarms", new { AlarmTypes = new[] { "CompositeAlarm" }, StateValue = "ALARM" });

        Assert.Empty(unasked.Body.GetProperty("CompositeAlarms").EnumerateArray());
        AwsShapes.AssertMatches("cloudwatch", "DescribeAlarmsOutput", both.Body);
        Assert.Equal(36, both.Body.GetProperty("MetricAlarms").GetArrayLength());
        var composites = both.Body.GetProperty("CompositeAlarms").EnumerateArray().ToDictionary(a => a.GetProperty("AlarmName").GetString()!);
        Assert.Equal(["securebase-prod-api-health", "securebase-prod-functions-health"], composites.Keys.Order(StringComparer.Ordinal));
        var api = composites["securebase-prod-api-health"];
        Assert.Equal("""ALARM("securebase-prod-api-5xx") OR ALARM("securebase-prod-api-latency")""", api.GetProperty("AlarmRule").GetString());
        Assert.Equal("ALARM", api.GetProperty("StateValue").GetString());
        Assert.Matches(@"^arn:aws:cloudwatch:[a-z0-9-]+:\d{12}:alarm:securebase-prod-api-5xx transitioned to ALARM at \w+ \d\d \w+, \d{4} \d\d:\d\d:\d\d UTC$", api.GetProperty("StateReason").GetString());
        Assert.Equal("OK", composites["securebase-prod-functions-health"].GetProperty("StateValue").GetString());
        Assert.Equal("securebase-prod-api-health", Assert.Single(firing.Body.GetProperty("CompositeAlarms").EnumerateArray()).GetProperty("AlarmName").GetString());
        Assert.Empty(firing.Body.GetProperty("MetricAlarms").EnumerateArray());
    }

    [Fact]
    public async Task DescribeAlarms_filters_by_state_and_pages_with_NextToken()
    {
        var inAlarm = await _sandbox.CloudWatchAsync("DescribeAlarms", new { StateValue = "ALARM" });
        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await _sandbox.CloudWatchAsync("DescribeAlarms", token is null ? new { AlarmNamePrefix = "securebase-staging-", MaxRecords = 4 } : new { AlarmNamePrefix = "securebase-staging-", MaxRecords = 4, NextToken = token } as object);
            names.AddRange(page.Body.GetProperty("MetricAlarms").EnumerateArray().Select(a => a.GetProperty("AlarmName").GetString()!));
            token = page.Body.TryGetProperty("NextToken", out var t) ? t.GetString() : null;
        } while (token is not null);

        Assert.Single(inAlarm.Body.GetProperty("MetricAlarms").EnumerateArray());
        Assert.Equal(12, names.Count);
        Assert.All(names, n => Assert.StartsWith("securebase-staging-", n));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public async Task Errors_carry_the_query_error_header_of_the_query_compatible_protocol()
    {
        var answer = await _sandbox.CloudWatchAsync("DescribeAlarms", new { AlarmNames = new[] { "a" }, AlarmNamePrefix = "b" });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("com.amazonaws.cloudwatch#InvalidParameterCombinationException", answer.Body.GetProperty("__type").GetString());
        Assert.Equal("InvalidParameterCombination;Sender", answer.Header("x-amzn-query-error"));
    }

    [Fact]
    public async Task GetMetricData_answers_with_epoch_second_timestamps_newest_first()
    {
        var end = _sandbox.NowSeconds;
        var answer = await _sandbox.CloudWatchAsync("GetMetricData", new
        {
            StartTime = end - 3600,
            EndTime = end,
            MetricDataQueries = new[]
            {
                Stat("invocations", "AWS/Lambda", "Invocations", "FunctionName", "securebase-prod-session-management", "Sum"),
                Stat("p99", "AWS/Lambda", "Duration", "FunctionName", "securebase-prod-session-management", "p99"),
                Stat("throttled", "AWS/DynamoDB", "ThrottledRequests", "TableName", "securebase-prod-user-sessions", "Sum"),
                Stat("latency", "AWS/ApiGateway", "Latency", "ApiName", "securebase-prod-api", "Average"),
            },
        });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AwsShapes.AssertMatches("cloudwatch", "GetMetricDataOutput", answer.Body);
        var results = answer.Body.GetProperty("MetricDataResults").EnumerateArray().ToDictionary(r => r.GetProperty("Id").GetString()!);
        var stamps = results["invocations"].GetProperty("Timestamps").EnumerateArray().Select(t => t.GetInt64()).ToList();
        Assert.True(stamps.Count >= 12);
        Assert.Equal(stamps.OrderDescending(), stamps);
        Assert.All(stamps, s => Assert.Equal(0, s % 300));
        Assert.All(results["invocations"].GetProperty("Values").EnumerateArray(), v => Assert.True(v.GetDouble() > 0));
        Assert.All(results["throttled"].GetProperty("Values").EnumerateArray(), v => Assert.Equal(0, v.GetDouble()));
        Assert.All(results["latency"].GetProperty("Values").EnumerateArray(), v => Assert.InRange(v.GetDouble(), 10, 1000));
        Assert.Equal("Complete", results["p99"].GetProperty("StatusCode").GetString());
    }

    [Fact]
    public async Task A_metric_math_expression_is_computed_from_the_queries_it_names()
    {
        var end = _sandbox.NowSeconds;
        var answer = await _sandbox.CloudWatchAsync("GetMetricData", new
        {
            StartTime = end - 1800,
            EndTime = end,
            MetricDataQueries = new object[]
            {
                new { Id = "rate", Expression = "100 * errors / requests", Label = "5xx %" },
                Stat("errors", "AWS/ApiGateway", "5XXError", "ApiName", "securebase-prod-api", "Sum", 60),
                Stat("requests", "AWS/ApiGateway", "Count", "ApiName", "securebase-prod-api", "Sum", 60),
            },
        });

        var results = answer.Body.GetProperty("MetricDataResults").EnumerateArray().ToDictionary(r => r.GetProperty("Id").GetString()!);
        var errors = results["errors"].GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var requests = results["requests"].GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var rate = results["rate"].GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal("5xx %", results["rate"].GetProperty("Label").GetString());
        Assert.Equal(errors.Count, rate.Count);
        for (var i = 0; i < rate.Count; i++) Assert.Equal(100 * errors[i] / requests[i], rate[i], 4);
    }

    [Fact]
    public async Task A_metric_the_account_does_not_publish_has_no_datapoints()
    {
        var end = _sandbox.NowSeconds;
        var answer = await _sandbox.CloudWatchAsync("GetMetricData", new
        {
            StartTime = end - 600,
            EndTime = end,
            MetricDataQueries = new[] { Stat("x", "AWS/Lambda", "Errors", "FunctionName", "someone-elses-function", "Sum") },
        });

        var result = Assert.Single(answer.Body.GetProperty("MetricDataResults").EnumerateArray());
        Assert.Empty(result.GetProperty("Values").EnumerateArray());
        Assert.Equal("Complete", result.GetProperty("StatusCode").GetString());
    }

    [Fact]
    public async Task A_period_that_is_not_a_multiple_of_60_is_InvalidParameterValue()
    {
        var end = _sandbox.NowSeconds;
        var answer = await _sandbox.CloudWatchAsync("GetMetricData", new
        {
            StartTime = end - 600,
            EndTime = end,
            MetricDataQueries = new[] { Stat("x", "AWS/Lambda", "Errors", "FunctionName", "securebase-prod-report-engine", "Sum", 45) },
        });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("InvalidParameterValue;Sender", answer.Header("x-amzn-query-error"));
    }

    [Fact]
    public async Task GetMetricStatistics_answers_with_the_modeled_datapoints()
    {
        var end = _sandbox.NowSeconds;
        var answer = await _sandbox.CloudWatchAsync("GetMetricStatistics", new
        {
            Namespace = "AWS/DynamoDB",
            MetricName = "ConsumedReadCapacityUnits",
            Dimensions = new[] { new { Name = "TableName", Value = "securebase-prod-activity-feed" } },
            StartTime = end - 3600,
            EndTime = end,
            Period = 300,
            Statistics = new[] { "Sum", "Maximum" },
        });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AwsShapes.AssertMatches("cloudwatch", "GetMetricStatisticsOutput", answer.Body);
        Assert.NotEmpty(answer.Body.GetProperty("Datapoints").EnumerateArray());
        Assert.All(answer.Body.GetProperty("Datapoints").EnumerateArray(), d =>
        {
            Assert.True(d.GetProperty("Sum").GetDouble() > 0);
            Assert.False(d.TryGetProperty("Average", out _));
        });
    }

    [Fact]
    public async Task GetMetricData_pages_by_MaxDatapoints_and_the_pages_add_up_to_the_whole()
    {
        var end = _sandbox.NowSeconds - _sandbox.NowSeconds % 60;
        object Request(int? max, string? token) => new
        {
            StartTime = end - 3600,
            EndTime = end,
            MaxDatapoints = max,
            NextToken = token,
            MetricDataQueries = new[]
            {
                Stat("a", "AWS/Lambda", "Invocations", "FunctionName", "securebase-prod-user-management", "Sum", 60),
                Stat("b", "AWS/Lambda", "Invocations", "FunctionName", "securebase-staging-user-management", "Sum", 60),
                Stat("c", "AWS/Lambda", "Invocations", "FunctionName", "securebase-dev-user-management", "Sum", 60),
            },
        };
        static Dictionary<string, List<(double, double)>> Collect(IEnumerable<JsonElement> results, Dictionary<string, List<(double, double)>> into)
        {
            foreach (var r in results)
            {
                var list = into.TryGetValue(r.GetProperty("Id").GetString()!, out var l) ? l : into[r.GetProperty("Id").GetString()!] = [];
                list.AddRange(r.GetProperty("Timestamps").EnumerateArray().Zip(r.GetProperty("Values").EnumerateArray(), (t, v) => (t.GetDouble(), v.GetDouble())));
            }
            return into;
        }

        var whole = Collect((await _sandbox.CloudWatchAsync("GetMetricData", Request(null, null))).Body.GetProperty("MetricDataResults").EnumerateArray(), []);
        var paged = new Dictionary<string, List<(double, double)>>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _sandbox.CloudWatchAsync("GetMetricData", Request(50, token));
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Collect(page.Body.GetProperty("MetricDataResults").EnumerateArray(), paged);
            token = page.Body.TryGetProperty("NextToken", out var t) ? t.GetString() : null;
            pages++;
        } while (token is not null);

        Assert.Equal(4, pages);
        Assert.Equal(60, whole["a"].Count);
        foreach (var id in new[] { "a", "b", "c" }) Assert.Equal(whole[id], paged[id]);
    }

    [Fact]
    public async Task A_healthy_account_never_meets_an_alarm_condition_all_day()
    {
        await using var healthy = await SandboxHttp.StartAsync(o => o.StartWithOpenIncident = false);
        var end = healthy.NowSeconds - healthy.NowSeconds % 300;
        var alarms = healthy.Account.Alarms.Definitions;
        var queries = alarms.Select((a, i) => new
        {
            Id = "a" + i,
            MetricStat = new
            {
                Metric = new { a.Namespace, a.MetricName, Dimensions = a.Dimensions.Select(d => new { Name = d.Key, d.Value }) },
                a.Period,
                Stat = a.Statistic,
            },
        }).ToArray();

        var answer = await healthy.CloudWatchAsync("GetMetricData", new { StartTime = end - 86_400, EndTime = end, MetricDataQueries = queries });

        var results = answer.Body.GetProperty("MetricDataResults").EnumerateArray().ToList();
        Assert.Equal(alarms.Count, results.Count);
        for (var i = 0; i < alarms.Count; i++)
        {
            var alarm = alarms[i];
            var breaching = results[i].GetProperty("Values").EnumerateArray().Select(v => alarm.Breaches(v.GetDouble())).ToList();
            Assert.True(breaching.Count >= 24 * 3600 / alarm.Period - 1, $"{alarm.Name} has {breaching.Count} datapoints");
            for (var w = 0; w + alarm.EvaluationPeriods <= breaching.Count; w++)
                Assert.True(breaching.Skip(w).Take(alarm.EvaluationPeriods).Count(b => b) < alarm.DatapointsToAlarm,
                    $"{alarm.Name} would have gone into ALARM at datapoint {w}");
        }
        var states = await healthy.CloudWatchAsync("DescribeAlarms", new { StateValue = "ALARM" });
        Assert.Empty(states.Body.GetProperty("MetricAlarms").EnumerateArray());
    }

    [Fact]
    public async Task A_request_for_millions_of_datapoints_is_refused_before_any_work()
    {
        var end = _sandbox.NowSeconds;
        var queries = Enumerable.Range(0, 200).Select(i => Stat("q" + i, "AWS/Lambda", "Invocations", "FunctionName", "securebase-prod-user-management", "Sum", 60)).ToArray();

        var answer = await _sandbox.CloudWatchAsync("GetMetricData", new { StartTime = end - 15 * 86_400, EndTime = end, MetricDataQueries = queries });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("InvalidParameterValue;Sender", answer.Header("x-amzn-query-error"));
    }
}
