using System.Globalization;
using System.Net;

namespace Bot.Sandbox.Tests;

/// <summary>Cost Explorer for the reviews: the month's forecast with its prediction interval, and cost split by the Environment tag.</summary>
public sealed class CostReviewSandboxTests : IAsyncLifetime
{
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static double D(System.Text.Json.JsonElement e) => double.Parse(e.GetString()!, CultureInfo.InvariantCulture);

    private Task<AwsAnswer> ForecastAsync(object body) => _sandbox.JsonAsync("AWSInsightsIndexService.GetCostForecast", body);

    [Fact]
    public async Task The_forecast_for_the_rest_of_the_month_has_a_mean_inside_its_band()
    {
        var today = DateOnly.FromDateTime(_sandbox.Time.GetUtcNow().UtcDateTime);
        var monthEnd = new DateOnly(today.Year, today.Month, 1).AddMonths(1);

        var monthly = await ForecastAsync(new { TimePeriod = new { Start = $"{today:yyyy-MM-dd}", End = $"{monthEnd:yyyy-MM-dd}" }, Metric = "UNBLENDED_COST", Granularity = "MONTHLY" });
        var daily = await ForecastAsync(new { TimePeriod = new { Start = $"{today:yyyy-MM-dd}", End = $"{monthEnd:yyyy-MM-dd}" }, Metric = "UNBLENDED_COST", Granularity = "DAILY", PredictionIntervalLevel = 95 });

        Assert.True(monthly.Status == HttpStatusCode.OK, monthly.Text);
        AwsShapes.AssertMatches("ce-forecast", "GetCostForecastResponse", monthly.Body);
        var month = Assert.Single(monthly.Body.GetProperty("ForecastResultsByTime").EnumerateArray());
        Assert.InRange(D(month.GetProperty("MeanValue")), D(month.GetProperty("PredictionIntervalLowerBound")), D(month.GetProperty("PredictionIntervalUpperBound")));
        Assert.Equal("USD", monthly.Body.GetProperty("Total").GetProperty("Unit").GetString());
        var days = daily.Body.GetProperty("ForecastResultsByTime").EnumerateArray().ToList();
        Assert.Equal(monthEnd.DayNumber - today.DayNumber, days.Count);
        Assert.Equal(D(monthly.Body.GetProperty("Total").GetProperty("Amount")), days.Sum(d => D(d.GetProperty("MeanValue"))), 6);
        var first = days[0];
        var last = days[^1];
        Assert.True(D(last.GetProperty("PredictionIntervalUpperBound")) - D(last.GetProperty("MeanValue"))
                    > D(first.GetProperty("PredictionIntervalUpperBound")) - D(first.GetProperty("MeanValue")));
    }

    [Fact]
    public async Task A_forecast_by_environment_tag_and_one_starting_in_the_past()
    {
        var today = DateOnly.FromDateTime(_sandbox.Time.GetUtcNow().UtcDateTime);
        var period = new { Start = $"{today:yyyy-MM-dd}", End = $"{today.AddDays(30):yyyy-MM-dd}" };

        var all = await ForecastAsync(new { TimePeriod = period, Metric = "UNBLENDED_COST", Granularity = "MONTHLY" });
        var prod = await ForecastAsync(new { TimePeriod = period, Metric = "UNBLENDED_COST", Granularity = "MONTHLY", Filter = new { Tags = new { Key = "Environment", Values = new[] { "prod" } } } });
        var past = await ForecastAsync(new { TimePeriod = new { Start = $"{today.AddDays(-3):yyyy-MM-dd}", End = $"{today.AddDays(3):yyyy-MM-dd}" }, Metric = "UNBLENDED_COST", Granularity = "DAILY" });

        var total = D(all.Body.GetProperty("Total").GetProperty("Amount"));
        Assert.InRange(D(prod.Body.GetProperty("Total").GetProperty("Amount")) / total, 0.5, 0.7);
        Assert.Equal(HttpStatusCode.BadRequest, past.Status);
        Assert.Equal("ValidationException", past.Body.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Ninety_days_of_cost_split_by_the_Environment_tag_add_up_to_the_total()
    {
        var today = DateOnly.FromDateTime(_sandbox.Time.GetUtcNow().UtcDateTime);
        var period = new { Start = $"{today.AddDays(-90):yyyy-MM-dd}", End = $"{today:yyyy-MM-dd}" };

        var byEnv = await _sandbox.CostAsync(new { TimePeriod = period, Granularity = "MONTHLY", Metrics = new[] { "UnblendedCost" }, GroupBy = new[] { new { Type = "TAG", Key = "Environment" } } });
        var total = await _sandbox.CostAsync(new { TimePeriod = period, Granularity = "MONTHLY", Metrics = new[] { "UnblendedCost" } });

        var groups = byEnv.Body.GetProperty("ResultsByTime").EnumerateArray().SelectMany(r => r.GetProperty("Groups").EnumerateArray())
            .GroupBy(g => g.GetProperty("Keys")[0].GetString()!).ToDictionary(g => g.Key, g => g.Sum(x => D(x.GetProperty("Metrics").GetProperty("UnblendedCost").GetProperty("Amount"))));
        var sum = total.Body.GetProperty("ResultsByTime").EnumerateArray().Sum(r => D(r.GetProperty("Total").GetProperty("UnblendedCost").GetProperty("Amount")));
        Assert.Equal(["Environment$", "Environment$dev", "Environment$prod", "Environment$staging"], groups.Keys.Order().ToArray());
        Assert.Equal(sum, groups.Values.Sum(), 4);
        Assert.True(groups["Environment$prod"] > groups["Environment$staging"] && groups["Environment$staging"] > groups["Environment$dev"]);
    }
}
