using Bot.Commands.Cloud;
using Bot.Commands.Reports;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.Aws.Logs;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Capacity;

/// <summary>
/// A function's capacity against the procedures' "Scaling Thresholds": memory used (from the REPORT lines, with Logs
/// Insights) against the memory configured (scale up above 80 %), duration against the timeout (above 80 %), and
/// concurrency against the reservation (scale up when throttling occurs), over 7 days. Memory and concurrency changes
/// are <c>/sb config --memory</c> and <c>/sb concurrency</c>.
/// </summary>
public sealed class FunctionCapacityView(ICloud cloud, ICloudWatchClient cloudWatch, ICloudWatchLogsClient logs, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);
    public const double Threshold = 80;

    public async Task<ChatMessage> BuildAsync(SecureBaseEnvironment env, string function, CancellationToken cancellationToken)
    {
        var settings = await Changes.ChangeReads.ReadAsync(Line.Of("the configuration of ", Code(function)), () => cloud.GetSettingsAsync(function, cancellationToken));
        var reserved = await Changes.ChangeReads.ReadAsync(Line.Of("the concurrency of ", Code(function)), () => cloud.GetReservedConcurrencyAsync(function, cancellationToken));
        var end = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds() / 3600 * 3600);
        var start = end - Window;
        var metrics = await AwsFailures.Guard(Line.Of("reading the metrics of ", Code(function)), () => cloudWatch.GetMetricDataAsync(new GetMetricDataRequest
        {
            StartTime = start,
            EndTime = end,
            MetricDataQueries = new[] { ("dmax", "Duration", "Maximum"), ("davg", "Duration", "Average"), ("conc", "ConcurrentExecutions", "Maximum"), ("thr", "Throttles", "Sum") }
                .Select(q => new MetricDataQuery
                {
                    Id = q.Item1,
                    MetricStat = new MetricStat { Metric = new Metric { Namespace = "AWS/Lambda", MetricName = q.Item2, Dimensions = [new Dimension("FunctionName", function)] }, Period = 3600, Stat = q.Item3 },
                }).ToList(),
        }, cancellationToken));
        var byId = metrics.Where(r => r.Id is not null).ToDictionary(r => r.Id!, r => r.Values);
        var durationMax = byId.GetValueOrDefault("dmax") is { Count: > 0 } d ? d.Max() : 0;
        var durationAvg = byId.GetValueOrDefault("davg") is { Count: > 0 } a ? a.Average() : 0;
        var concurrency = byId.GetValueOrDefault("conc") is { Count: > 0 } c ? c.Max() : 0;
        var throttles = byId.GetValueOrDefault("thr")?.Sum() ?? 0;
        var memory = await MemoryAsync(env.LogGroupOf(function), start, end, cancellationToken);

        var timeoutMs = settings.TimeoutSeconds * 1000.0;
        var lines = new List<Line>
        {
            memory is { } m
                ? Check(m.PeakMb / settings.MemoryMb * 100, $"Memory: {m.AverageMb:0} MB used on average, {m.PeakMb:0} MB at most, of {settings.MemoryMb} MB ({m.PeakMb / settings.MemoryMb * 100:0} %)",
                    " (above 80 %: raise it with /sb config --memory)", m.PeakMb / settings.MemoryMb * 100 < 30 ? " (well under: memory could come down, which costs less)" : "")
                : Line.Of(Emoji("grey_question"), " Memory: no REPORT lines in the last 7 days to read it from"),
            Check(timeoutMs == 0 ? 0 : durationMax / timeoutMs * 100, $"Duration: {durationAvg:0} ms on average, {durationMax:0} ms at most, of a {settings.TimeoutSeconds} s timeout ({(timeoutMs == 0 ? 0 : durationMax / timeoutMs * 100):0} %)",
                " (above 80 % of the timeout: raise memory or the timeout)", ""),
            Line.Of(Emoji(throttles > 0 ? "warning" : "white_check_mark"), $" Concurrency: at most {concurrency:0} at once, reserved ", reserved is { } r ? $"{r}" : "none",
                $"; {throttles:N0} throttles", throttles > 0 ? " (the procedures: scale up when throttling occurs; /sb concurrency)" : ""),
        };
        var heading = Line.Of(Emoji("bar_chart"), " ", Strong($"Capacity of {function} ({env.Name}), last 7 days"), " against the procedures' scaling thresholds");
        return ChatMessage.InChannel(Line.Join("\n", [heading, .. lines]), [new TextBlock(heading), new LinesBlock(lines)]);
    }

    private static Line Check(double percent, string text, string above, string under) =>
        Line.Of(Emoji(percent > Threshold ? "warning" : "white_check_mark"), " ", text, percent > Threshold ? above : under);

    private sealed record MemoryUse(double AverageMb, double PeakMb);

    /// <summary>Average and peak memory used, from the REPORT lines (Logs Insights; <c>@maxMemoryUsed</c> is in bytes).</summary>
    private async Task<MemoryUse?> MemoryAsync(string logGroup, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var rows = await InsightsQueries.RunAsync(logs, logGroup, start, end,
            InsightsQueries.ReportLines + " | stats avg(@maxMemoryUsed) as used, max(@maxMemoryUsed) as peak, count(*) as reports", cancellationToken);
        var row = rows is { Count: > 0 } ? rows[0] : null;
        return row is null || row.Number("reports") == 0 ? null : new MemoryUse(row.Number("used") / 1_000_000, row.Number("peak") / 1_000_000);
    }
}
