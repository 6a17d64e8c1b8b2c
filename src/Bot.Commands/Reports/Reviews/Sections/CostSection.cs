using System.Text;
using Bot.Commands.Cloud;
using Bot.Commands.Cloud.Cost;
using Bot.Integrations.Aws.CostExplorer;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Reviews.Sections;

/// <summary>
/// Cost by service for the window against the window before (the procedures' weekly "Cost Analysis": Cost Explorer, daily,
/// by service), for the whole account. ⚠️ when the total grew more than <see cref="GrowthAbovePercent"/>.
/// </summary>
public sealed class CostSection(ICostExplorerClient costExplorer) : IReviewSection
{
    public const double GrowthAbovePercent = 20;
    public const int ServicesShown = 8;

    public string Title => "Cost";

    public bool PartOf(ReviewKind kind) => true;

    public async Task<ReportSection> BuildAsync(ReviewScope scope, CancellationToken cancellationToken)
    {
        var from = DateOnly.FromDateTime(scope.Window.Previous.Start.UtcDateTime);
        var split = DateOnly.FromDateTime(scope.Window.Start.UtcDateTime);
        var to = DateOnly.FromDateTime(scope.Window.End.UtcDateTime);
        var answer = await AwsFailures.Guard("reading costs by service", () => costExplorer.GetCostAndUsageAsync(new GetCostAndUsageRequest
        {
            TimePeriod = new DateInterval(CostPeriod.Iso(from), CostPeriod.Iso(to)),
            Granularity = "DAILY",
            Metrics = [CostCommand.Metric],
            GroupBy = [new GroupDefinition("DIMENSION", "SERVICE")],
        }, cancellationToken));
        var now = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var before = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var days = new List<(DateOnly Day, decimal Amount)>();
        foreach (var day in answer.ResultsByTime)
        {
            if (!DateOnly.TryParseExact(day.TimePeriod?.Start, "yyyy-MM-dd", out var date)) continue;
            var into = date >= split ? now : before;
            decimal total = 0;
            foreach (var g in day.Groups)
            {
                if (!g.Metrics.TryGetValue(CostCommand.Metric, out var v)) continue;
                var key = g.Keys.Count > 0 ? g.Keys[0] : "(none)";
                into[key] = into.GetValueOrDefault(key) + v.Value;
                total += v.Value;
            }
            days.Add((date, total));
        }
        var total_now = now.Values.Sum();
        var total_before = before.Values.Sum();
        var table = new StringBuilder();
        table.AppendLine($"{"service",-40} {"cost",12} {"before",12} {"change",10}");
        foreach (var (service, amount) in now.OrderByDescending(s => s.Value).Take(ServicesShown))
            table.AppendLine($"{FunctionsSection.Cut(PlainText.OneLine(service), 40),-40} {CostMessages.Money(amount, "USD"),12} {CostMessages.Money(before.GetValueOrDefault(service), "USD"),12} " +
                             $"{WindowedValues.Change((double)amount, (double)before.GetValueOrDefault(service)),10}");
        table.AppendLine($"{"total",-40} {CostMessages.Money(total_now, "USD"),12} {CostMessages.Money(total_before, "USD"),12} {WindowedValues.Change((double)total_now, (double)total_before),10}");
        var growth = total_before == 0 ? 0 : (double)((total_now - total_before) / total_before * 100);
        var warned = growth > GrowthAbovePercent;
        var lines = new List<Line>
        {
            Line.Of(Emoji(warned ? "warning" : "white_check_mark"), $" {CostMessages.Money(total_now, "USD")} in the {scope.Window.Length.TotalDays:0} days against {CostMessages.Money(total_before, "USD")} before ({WindowedValues.Change((double)total_now, (double)total_before)})",
                warned ? $", more than {GrowthAbovePercent} % up: see " : null, warned ? Code("/sb cost --by environment") : null),
        };
        var chart = new Chart($"AWS cost per day, {CostPeriod.Iso(from)} to {CostPeriod.Iso(to.AddDays(-1))}", "USD",
            [new ChartLine("cost", days.Select(d => new DateTimeOffset(d.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)).ToList(), days.Select(d => (double)d.Amount).ToList())]);
        return new ReportSection(Title, warned ? SectionHealth.Attention : SectionHealth.Healthy, lines) { Table = table.ToString().TrimEnd(), Charts = [chart] };
    }
}
