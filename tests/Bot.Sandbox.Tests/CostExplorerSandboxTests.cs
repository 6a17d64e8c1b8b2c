using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Bot.Sandbox.Tests;

public sealed class CostExplorerSandboxTests : IAsyncLifetime
{
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static string Day(DateTimeOffset t, int offset) => DateOnly.FromDateTime(t.UtcDateTime).AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static double Amount(JsonElement metric) => double.Parse(metric.GetProperty("Amount").GetString()!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_month_of_daily_costs_by_service_has_every_day_and_the_modeled_members()
    {
        var answer = await _sandbox.CostAsync(new
        {
            TimePeriod = new { Start = Day(SandboxHttp.Start, -30), End = Day(SandboxHttp.Start, 0) },
            Granularity = "DAILY",
            Metrics = new[] { "UnblendedCost", "UsageQuantity" },
            GroupBy = new[] { new { Type = "DIMENSION", Key = "SERVICE" } },
        });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AwsShapes.AssertMatches("ce", "GetCostAndUsageResponse", answer.Body);
        var days = answer.Body.GetProperty("ResultsByTime").EnumerateArray().ToList();
        Assert.Equal(30, days.Count);
        foreach (var day in days)
        {
            var groups = day.GetProperty("Groups").EnumerateArray().ToList();
            Assert.Contains(groups, g => g.GetProperty("Keys")[0].GetString() == "AWS Lambda");
            Assert.Contains(groups, g => g.GetProperty("Keys")[0].GetString() == "Amazon DynamoDB");
            Assert.All(groups, g =>
            {
                var cost = g.GetProperty("Metrics").GetProperty("UnblendedCost");
                Assert.Equal("USD", cost.GetProperty("Unit").GetString());
                Assert.True(Amount(cost) > 0);
            });
        }
        var total = days.Sum(d => d.GetProperty("Groups").EnumerateArray().Sum(g => Amount(g.GetProperty("Metrics").GetProperty("UnblendedCost"))));
        Assert.InRange(total, 600, 2500);
    }

    [Fact]
    public async Task Monthly_totals_equal_the_sum_of_the_days()
    {
        var period = new { Start = Day(SandboxHttp.Start, -35), End = Day(SandboxHttp.Start, -2) };
        var daily = await _sandbox.CostAsync(new { TimePeriod = period, Granularity = "DAILY", Metrics = new[] { "UnblendedCost" } });
        var monthly = await _sandbox.CostAsync(new { TimePeriod = period, Granularity = "MONTHLY", Metrics = new[] { "UnblendedCost" } });

        var dailySum = daily.Body.GetProperty("ResultsByTime").EnumerateArray().Sum(r => Amount(r.GetProperty("Total").GetProperty("UnblendedCost")));
        var months = monthly.Body.GetProperty("ResultsByTime").EnumerateArray().ToList();
        Assert.Equal(2, months.Count);
        Assert.Equal(period.Start, months[0].GetProperty("TimePeriod").GetProperty("Start").GetString());
        Assert.Equal(period.End, months[^1].GetProperty("TimePeriod").GetProperty("End").GetString());
        Assert.Equal(dailySum, months.Sum(m => Amount(m.GetProperty("Total").GetProperty("UnblendedCost"))), 6);
    }

    [Fact]
    public async Task A_service_filter_keeps_only_that_service_and_usage_types_split_it()
    {
        var answer = await _sandbox.CostAsync(new
        {
            TimePeriod = new { Start = Day(SandboxHttp.Start, -3), End = Day(SandboxHttp.Start, -1) },
            Granularity = "DAILY",
            Metrics = new[] { "UnblendedCost" },
            Filter = new { Dimensions = new { Key = "SERVICE", Values = new[] { "AWS Lambda" } } },
            GroupBy = new[] { new { Type = "DIMENSION", Key = "SERVICE" }, new { Type = "DIMENSION", Key = "USAGE_TYPE" } },
        });

        var keys = answer.Body.GetProperty("ResultsByTime").EnumerateArray()
            .SelectMany(r => r.GetProperty("Groups").EnumerateArray())
            .Select(g => string.Join("|", g.GetProperty("Keys").EnumerateArray().Select(k => k.GetString())))
            .Distinct().Order().ToList();
        Assert.Equal(new[] { "AWS Lambda|USE1-Lambda-GB-Second", "AWS Lambda|USE1-Request" }, keys);
    }

    [Fact]
    public async Task Costs_group_by_the_Environment_tag()
    {
        var answer = await _sandbox.CostAsync(new
        {
            TimePeriod = new { Start = Day(SandboxHttp.Start, -7), End = Day(SandboxHttp.Start, 0) },
            Granularity = "MONTHLY",
            Metrics = new[] { "UnblendedCost" },
            GroupBy = new[] { new { Type = "TAG", Key = "Environment" } },
        });

        var groups = answer.Body.GetProperty("ResultsByTime").EnumerateArray().SelectMany(r => r.GetProperty("Groups").EnumerateArray()).ToList();
        var prod = groups.Where(g => g.GetProperty("Keys")[0].GetString() == "Environment$prod").Sum(g => Amount(g.GetProperty("Metrics").GetProperty("UnblendedCost")));
        var dev = groups.Where(g => g.GetProperty("Keys")[0].GetString() == "Environment$dev").Sum(g => Amount(g.GetProperty("Metrics").GetProperty("UnblendedCost")));
        Assert.True(prod > dev * 3);
        Assert.Contains(groups, g => g.GetProperty("Keys")[0].GetString() == "Environment$");
    }

    [Theory]
    [InlineData("2026-03-10", "2026-03-01", "DAILY", "UnblendedCost")]
    [InlineData("2026/03/01", "2026-03-05", "DAILY", "UnblendedCost")]
    [InlineData("2026-03-01", "2026-03-05", "WEEKLY", "UnblendedCost")]
    [InlineData("2026-03-01", "2026-03-05", "DAILY", "Dollars")]
    public async Task Bad_requests_are_ValidationException(string start, string end, string granularity, string metric)
    {
        var answer = await _sandbox.CostAsync(new { TimePeriod = new { Start = start, End = end }, Granularity = granularity, Metrics = new[] { metric } });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("ValidationException", answer.ErrorType);
    }
}
