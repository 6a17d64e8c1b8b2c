using Bot.Sandbox.Account.Logs;

namespace Bot.Sandbox.Tests;

public sealed class InsightsQueryTests
{
    private static readonly long T0 = new DateTimeOffset(2026, 3, 10, 14, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static readonly LogEvent[] Events =
    [
        new("/aws/lambda/f", "s1", T0 + 1_000, T0 + 1_200, "1", "2026-03-10T14:00:01.000Z\t11111111-1111-4111-8111-111111111111\tERROR\tboom"),
        new("/aws/lambda/f", "s1", T0 + 2_000, T0 + 2_200, "2", "REPORT RequestId: 11111111-1111-4111-8111-111111111111\tDuration: 120.50 ms\tBilled Duration: 121 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\t"),
        new("/aws/lambda/f", "s2", T0 + 301_000, T0 + 301_200, "3", "2026-03-10T14:05:01.000Z\t22222222-2222-4222-8222-222222222222\tINFO\tok"),
        new("/aws/lambda/f", "s2", T0 + 302_000, T0 + 302_200, "4", "REPORT RequestId: 22222222-2222-4222-8222-222222222222\tDuration: 30.00 ms\tBilled Duration: 30 ms\tMemory Size: 512 MB\tMax Memory Used: 80 MB\t"),
        new("/aws/lambda/f", "s2", T0 + 303_000, T0 + 303_200, "5", "2026-03-10T14:05:03.000Z\t33333333-3333-4333-8333-333333333333\tERROR\tagain"),
    ];

    private static List<Dictionary<string, string>> Run(string query, int limit = 1000)
    {
        var (rows, _) = InsightsQuery.Parse(query).Run(Events, "123456789012", limit);
        return rows.Select(r => r.ToDictionary(kv => kv.Key, kv => InsightsQuery.Format(kv.Key, kv.Value))).ToList();
    }

    [Fact]
    public void Errors_are_counted_per_five_minute_bin_newest_first()
    {
        var rows = Run("filter @message like /ERROR/ | stats count(*) as errors by bin(5m)");

        Assert.Equal(2, rows.Count);
        Assert.Equal(("2026-03-10 14:05:00.000", "1"), (rows[0]["bin(5m)"], rows[0]["errors"]));
        Assert.Equal(("2026-03-10 14:00:00.000", "1"), (rows[1]["bin(5m)"], rows[1]["errors"]));
    }

    [Fact]
    public void REPORT_lines_yield_durations_to_aggregate()
    {
        var rows = Run("filter @type = \"REPORT\" | stats avg(@duration) as avg, max(@duration) as worst, count(*) as n by @logStream | sort @logStream asc");

        Assert.Equal(["s1", "s2"], rows.Select(r => r["@logStream"]));
        Assert.Equal(("120.5", "120.5", "1"), (rows[0]["avg"], rows[0]["worst"], rows[0]["n"]));
        Assert.Equal("30", rows[1]["avg"]);
    }

    [Fact]
    public void Rows_come_newest_first_with_the_asked_fields_and_limit()
    {
        var rows = Run("fields @timestamp, @requestId | filter @message not like /REPORT/ and @message like \"o\" | limit 2");

        Assert.Equal(2, rows.Count);
        Assert.Equal("2026-03-10 14:05:01.000", rows[0]["@timestamp"]);
        Assert.Equal("11111111-1111-4111-8111-111111111111", rows[1]["@requestId"]);
        Assert.Equal(["@timestamp", "@requestId", "@ptr"], rows[0].Keys);
    }

    [Theory]
    [InlineData("parse @message \"* *\" as a, b")]
    [InlineData("filter @message like /unclosed")]
    [InlineData("stats median(@duration)")]
    [InlineData("limit 0")]
    [InlineData("filter @message ~~ 1")]
    [InlineData("fields @message | | limit 3")]
    public void Queries_the_sandbox_cannot_run_are_refused_with_a_reason(string query)
    {
        var error = Assert.Throws<FormatException>(() => InsightsQuery.Parse(query));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }
}
