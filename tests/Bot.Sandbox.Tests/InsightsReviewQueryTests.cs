using System.Globalization;

namespace Bot.Sandbox.Tests;

/// <summary>The Logs Insights query a weekly review runs over the REPORT lines, as written, over every prod function at once.</summary>
public sealed class InsightsReviewQueryTests : IAsyncLifetime
{
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync(o => o.QueryPollsBeforeComplete = 1);
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task The_weekly_REPORT_query_runs_as_written_across_the_prod_functions_by_day_and_group()
    {
        var started = await _sandbox.LogsAsync("StartQuery", new
        {
            logGroupNames = new[] { "/aws/lambda/securebase-prod-user-management", "/aws/lambda/securebase-prod-session-management", "/aws/lambda/securebase-prod-report-engine" },
            startTime = _sandbox.NowSeconds - 7 * 86400,
            endTime = _sandbox.NowSeconds,
            queryString = "filter @type = \"REPORT\" | stats max(@maxMemoryUsed), pct(@duration, 95), count(@initDuration), count_distinct(@requestId), stddev(@duration) by bin(1d), @log",
        });
        var id = started.Body.GetProperty("queryId").GetString();
        var running = await _sandbox.LogsAsync("GetQueryResults", new { queryId = id });
        var done = await _sandbox.LogsAsync("GetQueryResults", new { queryId = id });

        Assert.Equal("Running", running.Body.GetProperty("status").GetString());
        Assert.Equal("Complete", done.Body.GetProperty("status").GetString());
        var rows = done.Body.GetProperty("results").EnumerateArray()
            .Select(r => r.EnumerateArray().ToDictionary(f => f.GetProperty("field").GetString()!, f => f.GetProperty("value").GetString()!)).ToList();
        Assert.InRange(rows.Count, 21, 24);
        Assert.Equal(3, rows.Select(r => r["@log"]).Distinct().Count());
        Assert.All(rows, r => Assert.True(double.Parse(r["count(@initDuration)"], CultureInfo.InvariantCulture) >= 1));
        Assert.All(rows, r => Assert.True(double.Parse(r["count_distinct(@requestId)"], CultureInfo.InvariantCulture) > 100));
        Assert.All(rows, r => Assert.True(double.Parse(r["pct(@duration, 95)"], CultureInfo.InvariantCulture) > 0));
        Assert.True(done.Body.GetProperty("statistics").GetProperty("recordsMatched").GetDouble() < done.Body.GetProperty("statistics").GetProperty("recordsScanned").GetDouble());
    }
}
