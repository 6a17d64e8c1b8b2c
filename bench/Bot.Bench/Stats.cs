namespace Bot.Bench;

/// <summary>Order statistics of a benchmark's samples.</summary>
public static class Stats
{
    /// <summary>How a benchmark reports a goal.</summary>
    public static string Met(bool met) => met ? "met" : "NOT met";

    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    /// <summary>The <paramref name="p"/>-quantile by linear interpolation between the closest ranks; NaN without samples.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return double.NaN;
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(sorted.Count - 1, low + 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
