namespace Bot.Sandbox.Account.Metrics;

/// <summary>Aggregates a series' one-minute samples into periods, as GetMetricData and GetMetricStatistics do.</summary>
public static class MetricAggregator
{
    /// <summary>
    /// Periods aligned to multiples of <paramref name="periodSeconds"/> (the start rounded down to one) up to <paramref name="end"/> that have data
    /// among the complete minutes before <paramref name="now"/> and within retention; oldest first.
    /// </summary>
    public static IReadOnlyList<(DateTimeOffset Start, Sample Sample)> Aggregate(MetricSeries series, DateTimeOffset start, DateTimeOffset end, int periodSeconds, DateTimeOffset now)
    {
        var periodMinutes = periodSeconds / 60;
        var lastComplete = MetricModel.MinuteOf(now) - 1;
        var earliest = MetricModel.MinuteOf(now - MetricModel.Retention);
        var first = Math.Max(MetricModel.MinuteOf(start), earliest - periodMinutes);
        first -= (first % periodMinutes + periodMinutes) % periodMinutes;
        var endMinute = (long)Math.Ceiling(end.ToUnixTimeSeconds() / 60.0);
        var result = new List<(DateTimeOffset, Sample)>();
        for (var p = first; p < endMinute; p += periodMinutes)
        {
            var agg = Sample.None;
            for (var m = Math.Max(p, earliest); m < p + periodMinutes && m <= lastComplete && m < endMinute; m++)
                agg = agg.Add(series.PerMinute(m));
            if (!agg.IsEmpty) result.Add((MetricModel.StartOf(p), agg));
        }
        return result;
    }
}
