using Bot.Commands.Reports.Forecasting;

namespace Bot.Commands.Tests.Reports;

/// <summary>The capacity forecast's fit: on a known series (trend, weekly season, noise) the truth lies within the band.</summary>
public sealed class TrendForecastTests
{
    private static readonly DateOnly First = new(2026, 1, 1);
    private static readonly double[] Week = [-30, 12, 10, 8, 9, 11, -20];

    /// <summary>100 + 2.5 a day, the weekly pattern, and noise of ±6 from a fixed seed.</summary>
    private static double Truth(DateOnly day) => 100 + 2.5 * (day.DayNumber - First.DayNumber) + Week[(int)day.DayOfWeek];

    private static IReadOnlyList<(DateOnly, double)> History(int days, int seed = 7)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, days).Select(i => First.AddDays(i)).Select(d => (d, Truth(d) + (random.NextDouble() - 0.5) * 12)).ToList();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public void Six_months_ahead_the_true_value_is_within_the_band_and_the_band_is_narrow(int seed)
    {
        var fit = TrendForecast.Fit(History(90, seed))!;

        foreach (var ahead in new[] { 1, 30, 90, 180 })
        {
            var day = First.AddDays(89 + ahead);
            var predicted = fit.At(day);
            Assert.True(predicted.Contains(Truth(day)), $"{day}: {Truth(day)} outside {predicted}");
            Assert.True(predicted.High - predicted.Low < 0.15 * Truth(day), $"{day}: band {predicted} too wide");
        }
        Assert.InRange(fit.SlopePerDay, 2.4, 2.6);
    }

    [Fact]
    public void The_band_widens_with_the_horizon()
    {
        var fit = TrendForecast.Fit(History(90))!;

        var near = fit.At(First.AddDays(95));
        var far = fit.At(First.AddDays(270));

        Assert.True(far.High - far.Low > near.High - near.Low);
    }

    [Fact]
    public void A_months_sum_holds_the_true_sum()
    {
        var fit = TrendForecast.Fit(History(90))!;
        var from = new DateOnly(2026, 6, 1);
        var to = from.AddMonths(1);

        var truth = Enumerable.Range(0, to.DayNumber - from.DayNumber).Sum(i => Truth(from.AddDays(i)));

        Assert.True(fit.Sum(from, to).Contains(truth));
    }

    [Fact]
    public void Too_little_history_gives_no_forecast() =>
        Assert.Null(TrendForecast.Fit(History(10)));
}
