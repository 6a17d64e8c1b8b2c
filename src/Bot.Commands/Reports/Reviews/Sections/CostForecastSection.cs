using System.Globalization;
using Bot.Commands.Cloud;
using Bot.Commands.Cloud.Cost;
using Bot.Integrations.Aws.CostExplorer;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Reviews.Sections;

/// <summary>
/// Cost Explorer's forecast for the current month (<c>GetCostForecast</c>, with its 80 % prediction interval) next to what the
/// month has cost so far, for the whole account. ⚠️ when a day of the month is forecast to cost more than a day of the last
/// month by more than <see cref="CostSection.GrowthAbovePercent"/>.
/// </summary>
public sealed class CostForecastSection(ICostExplorerClient costExplorer, TimeProvider time) : IReviewSection
{
    public const int IntervalLevel = 80;

    public string Title => "Cost forecast";

    public bool PartOf(ReviewKind kind) => kind == ReviewKind.Monthly;

    public async Task<ReportSection> BuildAsync(ReviewScope scope, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var first = new DateOnly(today.Year, today.Month, 1);
        var next = first.AddMonths(1);
        var forecast = await AwsFailures.Guard("reading Cost Explorer's forecast", () => costExplorer.GetCostForecastAsync(new GetCostForecastRequest
        {
            TimePeriod = new DateInterval(CostPeriod.Iso(today), CostPeriod.Iso(next)),
            Metric = "UNBLENDED_COST",
            Granularity = "MONTHLY",
            PredictionIntervalLevel = IntervalLevel,
        }, cancellationToken));
        var spent = today == first ? 0m : await TotalAsync(first, today, cancellationToken);
        var lastMonth = await TotalAsync(first.AddMonths(-1), first, cancellationToken);
        var rest = forecast.ForecastResultsByTime.FirstOrDefault();
        decimal Amount(string? text) => decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
        var expected = spent + (forecast.Total?.Value ?? 0);
        var low = spent + Amount(rest?.PredictionIntervalLowerBound);
        var high = spent + Amount(rest?.PredictionIntervalUpperBound);
        // Months differ in length: compare what a day costs.
        var perDay = expected / (next.DayNumber - first.DayNumber);
        var perDayBefore = lastMonth / (first.DayNumber - first.AddMonths(-1).DayNumber);
        var growth = perDayBefore == 0 ? 0 : (double)((perDay - perDayBefore) / perDayBefore * 100);
        var warned = growth > CostSection.GrowthAbovePercent;
        var month = first.ToString("MMMM yyyy", CultureInfo.InvariantCulture);
        return new ReportSection(Title, warned ? SectionHealth.Attention : SectionHealth.Healthy,
        [
            Line.Of(Emoji(warned ? "warning" : "white_check_mark"), $" {month}: {CostMessages.Money(spent, "USD")} so far; Cost Explorer expects ", Strong(CostMessages.Money(expected, "USD")),
                $" for the month ({IntervalLevel} % interval {CostMessages.Money(low, "USD")} to {CostMessages.Money(high, "USD")}), against {CostMessages.Money(lastMonth, "USD")} last month; a day {CostMessages.Money(perDay, "USD")} against {CostMessages.Money(perDayBefore, "USD")} ({WindowedValues.Change((double)perDay, (double)perDayBefore)})"),
        ]);
    }

    private async Task<decimal> TotalAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var answer = await AwsFailures.Guard("reading costs", () => costExplorer.GetCostAndUsageAsync(new GetCostAndUsageRequest
        {
            TimePeriod = new DateInterval(CostPeriod.Iso(from), CostPeriod.Iso(to)),
            Granularity = "MONTHLY",
            Metrics = [CostCommand.Metric],
        }, cancellationToken));
        return answer.ResultsByTime.Sum(r => r.Total.TryGetValue(CostCommand.Metric, out var v) ? v.Value : 0);
    }
}
