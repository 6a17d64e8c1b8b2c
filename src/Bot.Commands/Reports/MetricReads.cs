using Bot.Commands.Cloud;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Workflows.Messages;

namespace Bot.Commands.Reports;

/// <summary>One metric to read over a window: its query id, where it is, and the statistic.</summary>
public sealed record MetricAsk(string Id, string Namespace, string Metric, IReadOnlyList<Dimension> Dimensions, string Stat)
{
    public static MetricAsk Function(string id, string function, string metric, string stat) =>
        new(id, "AWS/Lambda", metric, [new Dimension("FunctionName", function)], stat);

    public static MetricAsk Table(string id, string table, string metric, string stat) =>
        new(id, "AWS/DynamoDB", metric, [new Dimension("TableName", table)], stat);

    public static MetricAsk Api(string id, string api, string metric, string stat) =>
        new(id, "AWS/ApiGateway", metric, [new Dimension("ApiName", api)], stat);
}

/// <summary>A window of time the reviews read, aligned to its period, and the window just before it of the same length.</summary>
public sealed record ReportWindow(DateTimeOffset Start, DateTimeOffset End, int PeriodSeconds)
{
    public TimeSpan Length => End - Start;

    public ReportWindow Previous => this with { Start = Start - Length, End = Start };

    /// <summary>"24 hours", "7 days", "90 minutes".</summary>
    public static string Describe(TimeSpan length) =>
        length.TotalHours < 2 ? $"{length.TotalMinutes:0} minutes" : length.TotalHours <= 48 ? $"{length.TotalHours:0} hours" : $"{length.TotalDays:0.#} days";

    /// <summary>The <paramref name="length"/> before <paramref name="now"/>, ending at the last whole period (5 minutes for a day or less, else an hour).</summary>
    public static ReportWindow Ending(DateTimeOffset now, TimeSpan length)
    {
        var period = length <= TimeSpan.FromDays(1) ? 300 : 3600;
        var end = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / period * period);
        return new ReportWindow(end - length, end, period);
    }
}

/// <summary>The values CloudWatch gave for each query id of one read.</summary>
public sealed class MetricValues(IReadOnlyDictionary<string, MetricDataResult> results)
{
    public IReadOnlyList<double> Of(string id) => results.TryGetValue(id, out var r) ? r.Values : [];

    public MetricDataResult? Series(string id) => results.GetValueOrDefault(id);

    public double Sum(string id) => Of(id).Sum();

    public double Max(string id) => Of(id) is { Count: > 0 } v ? v.Max() : 0;

    public double? MaxOrNull(string id) => Of(id) is { Count: > 0 } v ? v.Max() : null;

    public double? AverageOrNull(string id) => Of(id) is { Count: > 0 } v ? v.Average() : null;

    /// <summary>The latest value (CloudWatch answers newest first) or null.</summary>
    public double? Latest(string id) => results.TryGetValue(id, out var r) && r.Values.Count > 0 ? r.Values[r.Timestamps.Count > 0 ? IndexOfLatest(r) : 0] : null;

    /// <summary>The earliest value or null.</summary>
    public double? Earliest(string id) => results.TryGetValue(id, out var r) && r.Values.Count > 0 ? r.Values[r.Timestamps.Count > 0 ? IndexOfEarliest(r) : r.Values.Count - 1] : null;

    private static int IndexOfLatest(MetricDataResult r) => r.Timestamps.Select((t, i) => (t, i)).MaxBy(p => p.t).i;

    private static int IndexOfEarliest(MetricDataResult r) => r.Timestamps.Select((t, i) => (t, i)).MinBy(p => p.t).i;
}

/// <summary>Reads many metrics over a window with GetMetricData (500 queries a call, as AWS allows).</summary>
public sealed class MetricReads(ICloudWatchClient cloudWatch)
{
    private const int QueriesPerCall = 500;

    public async Task<MetricValues> ReadAsync(Line what, IReadOnlyList<MetricAsk> asks, ReportWindow window, CancellationToken cancellationToken) =>
        await ReadAsync(what, asks, window.Start, window.End, window.PeriodSeconds, cancellationToken);

    public async Task<MetricValues> ReadAsync(Line what, IReadOnlyList<MetricAsk> asks, DateTimeOffset start, DateTimeOffset end, int period, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, MetricDataResult>(StringComparer.Ordinal);
        foreach (var chunk in asks.Chunk(QueriesPerCall))
        {
            var answer = await AwsFailures.Guard(what, () => cloudWatch.GetMetricDataAsync(new GetMetricDataRequest
            {
                StartTime = start,
                EndTime = end,
                MetricDataQueries = chunk.Select(a => new MetricDataQuery
                {
                    Id = a.Id,
                    MetricStat = new MetricStat { Metric = new Metric { Namespace = a.Namespace, MetricName = a.Metric, Dimensions = [.. a.Dimensions] }, Period = period, Stat = a.Stat },
                }).ToList(),
            }, cancellationToken));
            foreach (var r in answer.Where(r => r.Id is not null)) results[r.Id!] = r;
        }
        return new MetricValues(results);
    }

    /// <summary>A query id from a resource name: lower-case letters and digits after a prefix, unique per index.</summary>
    public static string Id(string prefix, int index) => $"{prefix}{index}";
}
