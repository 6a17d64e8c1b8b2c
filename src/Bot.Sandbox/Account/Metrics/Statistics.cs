using System.Globalization;

namespace Bot.Sandbox.Account.Metrics;

/// <summary>CloudWatch statistics over an aggregated sample: Sum, Average, Minimum, Maximum, SampleCount and pNN.</summary>
public static class Statistics
{
    public static bool IsValid(string stat) =>
        stat is "Sum" or "Average" or "Minimum" or "Maximum" or "SampleCount" || Percentile(stat) is not null;

    /// <summary>The statistic's value; percentiles are estimated between the average and the maximum.</summary>
    public static double Value(Sample s, string stat)
    {
        if (s.IsEmpty) return 0;
        switch (stat)
        {
            case "Sum": return s.Sum;
            case "Average": return s.Average;
            case "Minimum": return s.Min;
            case "Maximum": return s.Max;
            case "SampleCount": return s.Count;
        }
        var p = Percentile(stat) ?? throw new ArgumentException($"Unknown statistic {stat}", nameof(stat));
        return p <= 50
            ? s.Min + (s.Average - s.Min) * (p / 50)
            : s.Average + (s.Max - s.Average) * Math.Pow((p - 50) / 50, 2);
    }

    private static double? Percentile(string stat)
    {
        if (stat.Length < 2 || stat[0] != 'p') return null;
        return double.TryParse(stat.AsSpan(1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 100 ? p : null;
    }
}
