using System.Globalization;
using Bot.Commands.Cloud;

namespace Bot.Commands.Reports.Reviews;

/// <summary>
/// Metrics read for a review window and the one before it in one GetMetricData, a datapoint a day (periods of a day start at
/// midnight UTC, as the review windows do): sums and maxima are folded per window, and the days are there for the charts.
/// </summary>
public sealed class WindowedValues(MetricValues values, ReportWindow window)
{
    public const int Day = 86400;

    public static async Task<WindowedValues> ReadAsync(MetricReads reads, Bot.Workflows.Messages.Line what, IReadOnlyList<MetricAsk> asks, ReportWindow window, CancellationToken cancellationToken) =>
        new(await reads.ReadAsync(what, asks, window.Previous.Start, window.End, Day, cancellationToken), window);

    /// <summary>The sum of the window's days; null when CloudWatch had no datapoint.</summary>
    public double? Now(string id) => Fold(id, window, Enumerable.Sum);

    /// <summary>The sum of the previous window's days.</summary>
    public double? Before(string id) => Fold(id, window.Previous, Enumerable.Sum);

    /// <summary>The largest day of the window (for Maximum, or a percentile's worst day).</summary>
    public double? NowMax(string id) => Fold(id, window, Enumerable.Max);

    /// <summary>The days of both windows, for a chart.</summary>
    public Bot.Integrations.Aws.CloudWatch.MetricDataResult? Series(string id) => values.Series(id);

    private double? Fold(string id, ReportWindow w, Func<IEnumerable<double>, double> fold)
    {
        if (values.Series(id) is not { } series) return null;
        var inside = series.Timestamps.Zip(series.Values).Where(p => p.First >= w.Start && p.First < w.End).Select(p => p.Second).ToList();
        return inside.Count == 0 ? null : fold(inside);
    }

    /// <summary>"▲ 4.2 %", "▼ 1.0 %", "=" or "new", comparing now with before.</summary>
    public static string Change(double? now, double? before)
    {
        if (before is not > 0) return now is > 0 ? "new" : "–";
        var change = ((now ?? 0) - before.Value) / before.Value * 100;
        return Math.Abs(change) < 0.05 ? "=" : (change > 0 ? "▲ " : "▼ ") + Math.Abs(change).ToString("0.0", CultureInfo.InvariantCulture) + " %";
    }

    /// <summary>The resource's name without the environment's <c>securebase-&lt;env&gt;-</c> prefix, for tables.</summary>
    public static string ShortName(SecureBaseEnvironment env, string name) =>
        name.StartsWith($"securebase-{env.Name}-", StringComparison.Ordinal) ? name[$"securebase-{env.Name}-".Length..] : name;
}
