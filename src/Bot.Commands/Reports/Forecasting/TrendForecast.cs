namespace Bot.Commands.Reports.Forecasting;

/// <summary>A forecast value with its prediction interval (95 %).</summary>
public sealed record Predicted(double Mean, double Low, double High)
{
    public bool Contains(double value) => value >= Low && value <= High;
}

/// <summary>
/// A linear trend with a weekly season, fitted by least squares to a daily series (the capacity planning of the monthly
/// review: 90 days of history, 6 months ahead). The season is each weekday's mean residual from the trend; the interval is
/// the trend's prediction interval from the residuals left after trend and season (about 95 %), so it widens with the horizon.
/// Sums over many days (a month's invocations or cost) add the day-to-day noise and the trend's uncertainty.
/// </summary>
public sealed class TrendForecast
{
    public const double Z = 1.96;

    private readonly DateOnly _origin;
    private readonly double _intercept;
    private readonly double _slope;
    private readonly double[] _season;
    private readonly double _sigma;
    private readonly int _n;
    private readonly double _meanX;
    private readonly double _sxx;

    private TrendForecast(DateOnly origin, double intercept, double slope, double[] season, double sigma, int n, double meanX, double sxx)
    {
        (_origin, _intercept, _slope, _season, _sigma, _n, _meanX, _sxx) = (origin, intercept, slope, season, sigma, n, meanX, sxx);
    }

    /// <summary>Growth a day in the series' units.</summary>
    public double SlopePerDay => _slope;

    /// <summary>The fit of <paramref name="days"/> (at least 14 days, gaps allowed); null with fewer.</summary>
    public static TrendForecast? Fit(IReadOnlyList<(DateOnly Day, double Value)> days)
    {
        if (days.Count < 14) return null;
        var origin = days.Min(d => d.Day);
        var xs = days.Select(d => (double)(d.Day.DayNumber - origin.DayNumber)).ToArray();
        var ys = days.Select(d => d.Value).ToArray();
        var (a, b) = Line(xs, ys);
        var season = new double[7];
        var counts = new int[7];
        for (var i = 0; i < xs.Length; i++)
        {
            var dow = (int)days[i].Day.DayOfWeek;
            season[dow] += ys[i] - (a + b * xs[i]);
            counts[dow]++;
        }
        for (var d = 0; d < 7; d++) season[d] = counts[d] == 0 ? 0 : season[d] / counts[d];
        var deseasoned = ys.Select((y, i) => y - season[(int)days[i].Day.DayOfWeek]).ToArray();
        (a, b) = Line(xs, deseasoned);
        var meanX = xs.Average();
        var sxx = xs.Sum(x => (x - meanX) * (x - meanX));
        var sse = deseasoned.Select((y, i) => Math.Pow(y - (a + b * xs[i]), 2)).Sum();
        var sigma = Math.Sqrt(sse / Math.Max(1, xs.Length - 2 - 6));
        return new TrendForecast(origin, a, b, season, sigma, xs.Length, meanX, sxx);
    }

    /// <summary>The value on <paramref name="day"/>.</summary>
    public Predicted At(DateOnly day)
    {
        var x = day.DayNumber - _origin.DayNumber;
        var mean = _intercept + _slope * x + _season[(int)day.DayOfWeek];
        var half = Z * _sigma * Math.Sqrt(1 + 1.0 / _n + Math.Pow(x - _meanX, 2) / _sxx);
        return new Predicted(mean, mean - half, mean + half);
    }

    /// <summary>The sum of the days from <paramref name="from"/> up to (not including) <paramref name="to"/>.</summary>
    public Predicted Sum(DateOnly from, DateOnly to)
    {
        var days = Enumerable.Range(0, to.DayNumber - from.DayNumber).Select(from.AddDays).ToList();
        if (days.Count == 0) return new Predicted(0, 0, 0);
        var mean = days.Sum(d => At(d).Mean);
        var meanX = days.Average(d => (double)(d.DayNumber - _origin.DayNumber));
        var trendVariance = _sigma * _sigma * (1.0 / _n + Math.Pow(meanX - _meanX, 2) / _sxx);
        var half = Z * Math.Sqrt(days.Count * _sigma * _sigma + days.Count * (double)days.Count * trendVariance);
        return new Predicted(mean, mean - half, mean + half);
    }

    private static (double Intercept, double Slope) Line(double[] xs, double[] ys)
    {
        var mx = xs.Average();
        var my = ys.Average();
        var sxx = xs.Sum(x => (x - mx) * (x - mx));
        var slope = sxx == 0 ? 0 : xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my)) / sxx;
        return (my - slope * mx, slope);
    }
}
