namespace Bot.Sandbox.Account.Metrics;

/// <summary>
/// Aggregates a series into periods, as GetMetricData and GetMetricStatistics do. The last
/// <see cref="MetricModel.Retention"/> (15 days) comes from the one-minute samples; older data, as in CloudWatch, only at
/// coarser periods: from the hourly history (<see cref="MetricSeries.PerHour"/>) at multiples of an hour, or in 5-minute
/// slices of it up to <see cref="FiveMinuteRetention"/> (63 days) at multiples of 5 minutes. Series without an hourly
/// history (the daily ones) are read minute by minute all the way.
/// </summary>
public static class MetricAggregator
{
    /// <summary>How far back CloudWatch keeps 5-minute data.</summary>
    public static readonly TimeSpan FiveMinuteRetention = TimeSpan.FromDays(63);

    /// <summary>
    /// Periods aligned to multiples of <paramref name="periodSeconds"/> (the start rounded down to one) up to <paramref name="end"/> that have data
    /// among the complete minutes before <paramref name="now"/> and within retention; oldest first.
    /// </summary>
    public static IReadOnlyList<(DateTimeOffset Start, Sample Sample)> Aggregate(MetricSeries series, DateTimeOffset start, DateTimeOffset end, int periodSeconds, DateTimeOffset now)
    {
        var periodMinutes = periodSeconds / 60;
        var lastComplete = MetricModel.MinuteOf(now) - 1;
        // One-minute samples from the first whole hour of the last 15 days; the hourly history before it.
        var fine = MetricModel.MinuteOf(now - MetricModel.Retention);
        fine = (fine + 59) / 60 * 60;
        var earliest = series.PerHour is null ? MetricModel.MinuteOf(now - TimeSpan.FromDays(HistoryModel.Days)) : fine;
        var historyStart = MetricModel.MinuteOf(now - TimeSpan.FromDays(HistoryModel.Days)) / 60 * 60;
        var fiveMinuteStart = MetricModel.MinuteOf(now - FiveMinuteRetention);
        var coarse = series.PerHour is not null && periodMinutes % 5 == 0;
        var first = Math.Max(MetricModel.MinuteOf(start), (coarse ? historyStart : earliest) - periodMinutes);
        first -= (first % periodMinutes + periodMinutes) % periodMinutes;
        var endMinute = (long)Math.Ceiling(end.ToUnixTimeSeconds() / 60.0);
        var result = new List<(DateTimeOffset, Sample)>();
        for (var p = first; p < endMinute; p += periodMinutes)
        {
            var agg = Sample.None;
            var periodEnd = Math.Min(p + periodMinutes, endMinute);
            if (coarse && p < fine)
            {
                // History: whole hours at hourly periods; 5-minute slices (a twelfth of the hour each) while 5-minute data is kept.
                for (var m = Math.Max(p, historyStart); m < Math.Min(periodEnd, fine); m += periodMinutes % 60 == 0 ? 60 : 5)
                {
                    if (periodMinutes % 60 == 0) agg = agg.Add(series.PerHour!(m / 60));
                    else if (m >= fiveMinuteStart) agg = agg.Add(Slice(series.PerHour!(m / 60)));
                }
            }
            for (var m = Math.Max(p, earliest); m < periodEnd && m <= lastComplete; m++)
                agg = agg.Add(series.PerMinute(m));
            if (!agg.IsEmpty) result.Add((MetricModel.StartOf(p), agg));
        }
        return result;
    }

    /// <summary>A twelfth of an hour's sample: the sums and counts divided, the extremes kept.</summary>
    private static Sample Slice(Sample hour) => hour.IsEmpty ? hour : hour with { Sum = hour.Sum / 12, Count = hour.Count / 12 };
}
