using Bot.Commands.Changes;
using Bot.Commands.Cloud;
using Bot.Commands.Cloud.Cost;
using Bot.Integrations.Aws.Logs;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Optimization;

/// <summary>
/// The guide's "Lambda: right-size memory allocation based on CloudWatch metrics": a function whose REPORT lines of the last 30
/// days used at most <see cref="UsedBelowPercent"/> % of its memory at the 99th percentile is over-provisioned; the memory
/// recommended is that p99 with <see cref="Headroom"/> headroom, rounded up to 64 MB (at least 128), and the saving is the
/// GB-seconds of those 30 days (AWS/Lambda Duration) at the lower memory.
/// </summary>
public sealed class MemoryRightSizing(ICloudWatchLogsClient logs, MetricReads reads, ICloud cloud) : IRecommender
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);
    public const double UsedBelowPercent = 40;
    public const double Headroom = 1.5;

    public string Title => "Lambda: right-size memory allocation";

    public async Task<IReadOnlyList<Recommendation>> FindAsync(IReadOnlyList<SecureBaseEnvironment> environments, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var end = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 3600 * 3600);
        var start = end - Window;
        var functions = environments.SelectMany(e => e.Functions.Select(f => (Env: e, Function: f))).ToList();
        var found = await Task.WhenAll(functions.Select(f => CheckAsync(f.Env, f.Function, start, end, cancellationToken)));
        return found.OfType<Recommendation>().ToList();
    }

    private async Task<Recommendation?> CheckAsync(SecureBaseEnvironment env, string function, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var rows = await InsightsQueries.RunAsync(logs, env.LogGroupOf(function), start, end,
            InsightsQueries.ReportLines + " | stats pct(@maxMemoryUsed, 99) as p99, count(*) as reports", cancellationToken);
        if (rows is not { Count: > 0 } || rows[0].Number("reports") == 0) return null;
        var settings = await ChangeReads.ReadAsync(Line.Of("the configuration of ", Code(function)), () => cloud.GetSettingsAsync(function, cancellationToken));
        var p99 = rows[0].Number("p99") / 1_000_000;
        if (settings.MemoryMb <= 128 || p99 / settings.MemoryMb * 100 >= UsedBelowPercent) return null;
        var recommended = Math.Max(128, (int)Math.Ceiling(p99 * Headroom / 64) * 64);
        if (recommended >= settings.MemoryMb) return null;
        var duration = await reads.ReadAsync(Line.Of("reading the duration of ", Code(function)), [MetricAsk.Function("dur", function, "Duration", "Sum")], start, end, 86400, cancellationToken);
        var gbSeconds = (decimal)duration.Sum("dur") / 1000m * settings.MemoryMb / 1024m;
        var saving = gbSeconds * (settings.MemoryMb - recommended) / settings.MemoryMb * Prices.LambdaGbSecond * 30m / (decimal)Window.TotalDays;
        return new Recommendation(function,
            Line.Of(Code(function), $": {settings.MemoryMb} MB configured, 99 % of its runs in 30 days used at most {p99:0} MB ({p99 / settings.MemoryMb * 100:0} %); {recommended} MB would save about ",
                Strong(CostMessages.Money(saving, "USD")), " a month"),
            Line.Of("Right-size ", Code(function), ": ", Code($"/sb config {function} --memory {recommended}")), decimal.Round(saving, 2));
    }
}
