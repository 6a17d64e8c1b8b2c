using Bot.Commands.Cloud;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Dashboards;

/// <summary>
/// The operations guide's "Key metrics to monitor" as charts, for an environment without a dashboard: Lambda invocations and
/// errors, DynamoDB read and write capacity consumed, API Gateway requests and latency, and the reports bucket's size (a
/// daily metric, so its last 14 days).
/// </summary>
public sealed class KeyMetricCharts(MetricReads reads, TimeProvider time)
{
    public static readonly TimeSpan BucketWindow = TimeSpan.FromDays(14);

    public async Task<IReadOnlyList<Chart>> BuildAsync(SecureBaseEnvironment env, string? bucket, TimeSpan since, CancellationToken cancellationToken)
    {
        var window = ReportWindow.Ending(time.GetUtcNow(), since);
        var period = Math.Max(window.PeriodSeconds, (int)(since.TotalSeconds / 120) / 60 * 60);
        var groups = new (string Title, string Unit, IReadOnlyList<(string Label, MetricAsk Ask)> Lines)[]
        {
            ("Lambda invocations", "invocations", env.Functions.Select((f, i) => (Short(env, f), MetricAsk.Function($"inv{i}", f, "Invocations", "Sum"))).ToList()),
            ("Lambda errors", "errors", env.Functions.Select((f, i) => (Short(env, f), MetricAsk.Function($"err{i}", f, "Errors", "Sum"))).ToList()),
            ("DynamoDB read capacity consumed", "units", env.Tables.Select((t, i) => (Short(env, t), MetricAsk.Table($"rcu{i}", t, "ConsumedReadCapacityUnits", "Sum"))).ToList()),
            ("DynamoDB write capacity consumed", "units", env.Tables.Select((t, i) => (Short(env, t), MetricAsk.Table($"wcu{i}", t, "ConsumedWriteCapacityUnits", "Sum"))).ToList()),
            ("API Gateway requests", "requests", env.ApiNames.Select((a, i) => (a, MetricAsk.Api($"req{i}", a, "Count", "Sum"))).ToList()),
            ("API Gateway latency", "ms", env.ApiNames.Select((a, i) => (a, MetricAsk.Api($"lat{i}", a, "Latency", "Average"))).ToList()),
        };
        var values = await reads.ReadAsync(Line.Of("reading the key metrics of ", Code(env.Name)), groups.SelectMany(g => g.Lines.Select(l => l.Ask)).ToList(),
            window.Start, window.End, period, cancellationToken);
        var charts = groups.Select(g => new Chart($"{g.Title}, {env.Name}", g.Unit,
            g.Lines.Select(l => values.Series(l.Ask.Id) is { } s ? new ChartLine(l.Label, s.Timestamps, s.Values) : null).OfType<ChartLine>().ToList())).ToList();
        if (bucket is not null)
        {
            var end = time.GetUtcNow();
            var size = await reads.ReadAsync(Line.Of("reading the size of ", Code(bucket)),
                [new MetricAsk("size", "AWS/S3", "BucketSizeBytes", [new Dimension("BucketName", bucket), new Dimension("StorageType", "StandardStorage")], "Average")],
                end - BucketWindow, end, 86400, cancellationToken);
            if (size.Series("size") is { } s)
                charts.Add(new Chart($"Reports bucket size, {env.Name}", "GB", [new ChartLine(bucket, s.Timestamps, s.Values.Select(v => v / 1e9).ToList())]));
        }
        return charts;
    }

    private static string Short(SecureBaseEnvironment env, string name) => Reviews.WindowedValues.ShortName(env, name);
}
