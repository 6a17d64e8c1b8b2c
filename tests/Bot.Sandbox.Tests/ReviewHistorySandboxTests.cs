using System.Globalization;
using System.Text.Json;

namespace Bot.Sandbox.Tests;

/// <summary>
/// The history the weekly and monthly reviews read: 90 days of metrics with growth and a weekly season, the planted
/// over-provisioned function, unread index and never-expiring log group, cold starts in the REPORT lines, and daily
/// storage and table sizes that grow. One test times the 90-day read, so the class runs on its own, after the others
/// (the merged suite's item-store tests scan 186,000 sessions at a time, which on two cores starved it past its bound).
/// </summary>
[Collection(TimedReadsCollection.Name)]
public sealed class ReviewHistorySandboxTests : IAsyncLifetime
{
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static object Query(string id, string ns, string name, string stat, int period, params (string Name, string Value)[] dims) => new
    {
        Id = id,
        MetricStat = new
        {
            Metric = new { Namespace = ns, MetricName = name, Dimensions = dims.Select(d => new { d.Name, d.Value }).ToArray() },
            Period = period,
            Stat = stat,
        },
    };

    private async Task<Dictionary<string, (long[] Times, double[] Values)>> MetricDataAsync(TimeSpan back, params object[] queries)
    {
        var answer = await _sandbox.CloudWatchAsync("GetMetricData", new
        {
            MetricDataQueries = queries,
            StartTime = _sandbox.Time.GetUtcNow().Add(-back).ToUnixTimeSeconds(),
            EndTime = _sandbox.NowSeconds,
            ScanBy = "TimestampAscending",
        });
        Assert.True(answer.Status == System.Net.HttpStatusCode.OK, answer.Text);
        return answer.Body.GetProperty("MetricDataResults").EnumerateArray().ToDictionary(r => r.GetProperty("Id").GetString()!, r => (
            r.GetProperty("Timestamps").EnumerateArray().Select(t => (long)t.GetDouble()).ToArray(),
            r.GetProperty("Values").EnumerateArray().Select(v => v.GetDouble()).ToArray()));
    }

    private async Task<List<Dictionary<string, string>>> InsightsAsync(string group, TimeSpan back, string query)
    {
        var started = await _sandbox.LogsAsync("StartQuery", new { logGroupName = group, startTime = _sandbox.NowSeconds - (long)back.TotalSeconds, endTime = _sandbox.NowSeconds, queryString = query });
        Assert.True(started.Status == System.Net.HttpStatusCode.OK, started.Text);
        var results = await _sandbox.LogsAsync("GetQueryResults", new { queryId = started.Body.GetProperty("queryId").GetString() });
        return results.Body.GetProperty("results").EnumerateArray()
            .Select(r => r.EnumerateArray().ToDictionary(f => f.GetProperty("field").GetString()!, f => f.GetProperty("value").GetString()!)).ToList();
    }

    [Fact]
    public async Task Ninety_days_of_invocations_grow_and_dip_at_weekends_and_are_the_same_every_time()
    {
        var fn = ("FunctionName", "securebase-prod-report-engine");
        var data = await MetricDataAsync(TimeSpan.FromDays(92),
            Query("daily", "AWS/Lambda", "Invocations", "Sum", 86400, fn),
            Query("hourly", "AWS/Lambda", "Invocations", "Sum", 3600, fn),
            Query("api", "AWS/ApiGateway", "Count", "Sum", 86400, ("ApiName", "securebase-prod-api")),
            Query("latency", "AWS/ApiGateway", "Latency", "p95", 86400, ("ApiName", "securebase-prod-api")),
            Query("errors", "AWS/ApiGateway", "5XXError", "Sum", 86400, ("ApiName", "securebase-prod-api")));
        var again = await MetricDataAsync(TimeSpan.FromDays(92), Query("daily", "AWS/Lambda", "Invocations", "Sum", 86400, fn));

        var (times, values) = data["daily"];
        Assert.InRange(values.Length, 90, 93);
        Assert.Equal(values, again["daily"].Values);
        var weekdays = times.Select((t, i) => (Day: DateTimeOffset.FromUnixTimeSeconds(t).DayOfWeek, Value: values[i])).ToList();
        var complete = weekdays.Skip(1).SkipLast(1).ToList();
        Assert.True(complete.Where(d => d.Day is DayOfWeek.Saturday or DayOfWeek.Sunday).Average(d => d.Value)
                    < 0.75 * complete.Where(d => d.Day is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Average(d => d.Value));
        Assert.True(complete.TakeLast(14).Average(d => d.Value) > 1.3 * complete.Take(14).Average(d => d.Value));
        Assert.InRange(data["hourly"].Values.Length, 24 * 90, 24 * 92 + 1);
        Assert.InRange(data["api"].Values.Length, 90, 93);
        Assert.All(data["latency"].Values, v => Assert.InRange(v, 40, 2000));
        Assert.All(data["errors"].Values, v => Assert.True(v >= 0));
    }

    [Fact]
    public async Task The_ResourceTypeIndex_had_no_reads_in_thirty_days_and_the_other_indexes_did()
    {
        var feed = ("TableName", "securebase-prod-activity-feed");
        var data = await MetricDataAsync(TimeSpan.FromDays(30),
            Query("unread", "AWS/DynamoDB", "ConsumedReadCapacityUnits", "Sum", 86400, feed, ("GlobalSecondaryIndexName", "ResourceTypeIndex")),
            Query("written", "AWS/DynamoDB", "ConsumedWriteCapacityUnits", "Sum", 86400, feed, ("GlobalSecondaryIndexName", "ResourceTypeIndex")),
            Query("action", "AWS/DynamoDB", "ConsumedReadCapacityUnits", "Sum", 86400, feed, ("GlobalSecondaryIndexName", "ActionIndex")),
            Query("sessions", "AWS/DynamoDB", "ConsumedReadCapacityUnits", "Sum", 86400, ("TableName", "securebase-prod-user-sessions"), ("GlobalSecondaryIndexName", "userId-index")));

        Assert.InRange(data["unread"].Values.Length, 29, 31);
        Assert.All(data["unread"].Values, v => Assert.Equal(0, v));
        Assert.All(data["written"].Values, v => Assert.True(v > 0));
        Assert.All(data["action"].Values, v => Assert.True(v > 0));
        Assert.All(data["sessions"].Values, v => Assert.True(v > 0));
    }

    [Fact]
    public async Task The_weekly_REPORT_query_finds_report_engine_over_provisioned_and_counts_cold_starts()
    {
        const string query = "filter @type = \"REPORT\" | stats max(@maxMemoryUsed) as maxMemory, max(@memorySize) as memory, pct(@duration, 95) as p95, count(@initDuration) as coldStarts, count(*) as invocations by bin(1d)";

        var report = await InsightsAsync("/aws/lambda/securebase-prod-report-engine", TimeSpan.FromDays(7), query);
        var users = await InsightsAsync("/aws/lambda/securebase-prod-user-management", TimeSpan.FromDays(7), query);

        double N(Dictionary<string, string> row, string field) => double.Parse(row[field], CultureInfo.InvariantCulture);
        Assert.InRange(report.Count, 7, 8);
        Assert.All(report, day => Assert.True(N(day, "maxMemory") <= 0.2 * N(day, "memory"), "report-engine uses at most 20 % of its memory"));
        Assert.All(users, day => Assert.True(N(day, "maxMemory") > 0.55 * N(day, "memory")));
        Assert.All(report, day => Assert.True(N(day, "coldStarts") > 0 && N(day, "coldStarts") < N(day, "invocations") / 5));
        Assert.All(report, day => Assert.InRange(N(day, "p95"), 1000, 60000));
        Assert.Equal(report.Select(d => d["bin(1d)"]).OrderDescending(StringComparer.Ordinal), report.Select(d => d["bin(1d)"]));
    }

    [Fact]
    public async Task A_month_of_REPORT_lines_is_there_for_the_monthly_memory_p99()
    {
        var rows = await InsightsAsync("/aws/lambda/securebase-prod-report-engine", TimeSpan.FromDays(30),
            "filter @type = \"REPORT\" | stats pct(@maxMemoryUsed, 99) as p99, count(*) as n");

        var row = Assert.Single(rows);
        Assert.InRange(double.Parse(row["p99"], CultureInfo.InvariantCulture) / 1_000_000, 140, 205);
        Assert.True(double.Parse(row["n"], CultureInfo.InvariantCulture) > 30 * 1440);
    }

    [Fact]
    public async Task Only_prod_session_management_keeps_its_logs_forever()
    {
        var answer = await _sandbox.LogsAsync("DescribeLogGroups", new { logGroupNamePrefix = "/aws/lambda/securebase-" });

        AwsShapes.AssertMatches("logs-groups", "DescribeLogGroupsResponse", answer.Body);
        var groups = answer.Body.GetProperty("logGroups").EnumerateArray().ToList();
        var forever = Assert.Single(groups, g => !g.TryGetProperty("retentionInDays", out _));
        Assert.Equal("/aws/lambda/securebase-prod-session-management", forever.GetProperty("logGroupName").GetString());
        Assert.True(forever.GetProperty("storedBytes").GetInt64() > 1_000_000_000);
        Assert.All(groups, g => Assert.True(g.GetProperty("storedBytes").GetInt64() > 0));
    }

    [Fact]
    public async Task Storage_and_table_sizes_are_published_daily_and_grow()
    {
        var data = await MetricDataAsync(TimeSpan.FromDays(90),
            Query("bucket", "AWS/S3", "BucketSizeBytes", "Average", 86400, ("BucketName", "securebase-prod-reports-123456789012"), ("StorageType", "StandardStorage")),
            Query("objects", "AWS/S3", "NumberOfObjects", "Average", 86400, ("BucketName", "securebase-prod-reports-123456789012"), ("StorageType", "AllStorageTypes")),
            Query("items", "SecureBase/Capacity", "TableItemCount", "Average", 86400, ("TableName", "securebase-prod-user-sessions")),
            Query("bytes", "SecureBase/Capacity", "TableSizeBytes", "Average", 86400, ("TableName", "securebase-prod-reports")));
        var table = await _sandbox.DynamoAsync("DescribeTable", new { TableName = "securebase-prod-user-sessions" });

        foreach (var id in new[] { "bucket", "objects", "items", "bytes" })
        {
            var values = data[id].Values;
            Assert.InRange(values.Length, 89, 91);
            Assert.True(values[^1] > values[0] * 1.2, $"{id} grows");
        }
        Assert.Equal(table.Body.GetProperty("Table").GetProperty("ItemCount").GetDouble(), data["items"].Values[^1]);
    }
}

/// <summary>Tests that time the sandbox's answers: they run on their own, after the others, so no other test starves them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimedReadsCollection
{
    public const string Name = "Timed reads";
}
