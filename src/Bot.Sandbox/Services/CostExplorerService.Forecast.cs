using System.Globalization;
using Bot.Sandbox.Account.Costs;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// GetCostForecast: the expected cost from today (UTC) to the end of the period, DAILY or MONTHLY, for a cost metric,
/// with the same filters as GetCostAndUsage, and a prediction interval at <c>PredictionIntervalLevel</c> (default 80 %)
/// that widens with the horizon (the day-to-day noise of about 3.5 % plus 0.2 % a day ahead). At most 12 months ahead.
/// </summary>
internal sealed partial class CostExplorerService
{
    private static readonly Dictionary<string, string> ForecastMetrics = new(StringComparer.Ordinal)
    {
        ["UNBLENDED_COST"] = "USD", ["BLENDED_COST"] = "USD", ["AMORTIZED_COST"] = "USD", ["NET_UNBLENDED_COST"] = "USD",
        ["NET_AMORTIZED_COST"] = "USD", ["USAGE_QUANTITY"] = "N/A", ["NORMALIZED_USAGE_AMOUNT"] = "N/A",
    };

    private object GetCostForecast(JsonInput input)
    {
        var period = input.Object("TimePeriod") ?? throw input.Invalid("1 validation error detected: Value null at 'timePeriod' failed to satisfy constraint: Member must not be null");
        var start = Date(period, "Start");
        var end = Date(period, "End");
        var today = account.Costs.Today;
        if (start < today) throw new AwsException("ValidationException", $"Start date must be equal to or later than the current date ({Text(today)}).");
        if (end <= start) throw new AwsException("ValidationException", "Start date (inclusive) must be before the end date (exclusive).");
        if (end > today.AddMonths(12)) throw new AwsException("ValidationException", "End date must be at most 12 months from the current date.");
        var metric = input.String("Metric") ?? throw input.Invalid("1 validation error detected: Value null at 'metric' failed to satisfy constraint: Member must not be null");
        if (!ForecastMetrics.TryGetValue(metric, out var unit))
            throw input.Invalid($"1 validation error detected: Value '{metric}' at 'metric' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", ForecastMetrics.Keys)}]");
        var granularity = input.String("Granularity") ?? throw input.Invalid("1 validation error detected: Value null at 'granularity' failed to satisfy constraint: Member must not be null");
        if (granularity is not ("DAILY" or "MONTHLY")) throw new AwsException("ValidationException", $"Granularity {granularity} is not supported for forecasts; use DAILY or MONTHLY.");
        if (granularity == "DAILY" && end > today.AddMonths(3)) throw new AwsException("ValidationException", "Daily forecasts reach at most 3 months ahead.");
        var level = input.Int("PredictionIntervalLevel") ?? 80;
        if (level is < 51 or > 99) throw input.Invalid("PredictionIntervalLevel must be between 51 and 99.");
        var filter = input.Object("Filter") is { } f ? ReadFilter(f) : _ => true;
        var z = NormalQuantile(0.5 + level / 200.0);
        var usage = unit == "N/A";

        var results = new List<object>();
        var (totalMean, totalVariance) = (0.0, 0.0);
        foreach (var (from, to) in Periods(start, end, granularity))
        {
            var (mean, variance) = (0.0, 0.0);
            for (var d = from; d < to; d = d.AddDays(1))
            {
                var lines = account.Costs.Expected(d).Where(filter);
                var day = usage ? lines.Sum(l => l.Quantity) : lines.Sum(l => l.Cost);
                var sigma = day * (0.035 + 0.002 * (d.DayNumber - today.DayNumber));
                mean += day;
                variance += sigma * sigma;
            }
            totalMean += mean;
            totalVariance += variance;
            var spread = z * Math.Sqrt(variance);
            results.Add(new
            {
                TimePeriod = new { Start = Text(from), End = Text(to) },
                MeanValue = Amount(mean),
                PredictionIntervalLowerBound = Amount(Math.Max(0, mean - spread)),
                PredictionIntervalUpperBound = Amount(mean + spread),
            });
        }
        return new
        {
            Total = new { Amount = Amount(totalMean), Unit = unit },
            ForecastResultsByTime = results,
        };
    }

    private static string Amount(double value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary>The standard normal quantile (Acklam's rational approximation), for the prediction interval.</summary>
    private static double NormalQuantile(double p)
    {
        double[] a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716, 2.506628277459239];
        double[] b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
        double[] c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
        double[] d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
        if (p > 0.97575)
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        var r = p - 0.5;
        var s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }
}
