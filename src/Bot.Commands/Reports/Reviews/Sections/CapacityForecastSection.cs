using System.Globalization;
using System.Text;
using Bot.Commands.Cloud;
using Bot.Commands.Cloud.Cost;
using Bot.Commands.Reports.Forecasting;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.Aws.CostExplorer;
using Bot.Integrations.Aws.DynamoDb;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Reviews.Sections;

/// <summary>
/// The procedures' capacity planning: a 6-month forecast of table size, item count, invocations and cost from the last 90 days
/// (<see cref="TrendForecast"/>: trend and weekly season, with its band in the charts), and the month in which a scaling
/// threshold would be crossed at that trend: a function's peak concurrency past 80 % of its reserved concurrency, a
/// provisioned table's consumed capacity past 70 % of what it has.
/// </summary>
public sealed class CapacityForecastSection(MetricReads reads, ICostExplorerClient costExplorer, ICloud cloud, IDynamoDbRecovery tables) : IReviewSection
{
    public static readonly TimeSpan History = TimeSpan.FromDays(90);
    public const int Months = 6;
    public const double ConcurrencyAbovePercent = 80;

    public string Title => "Capacity planning";

    public bool PartOf(ReviewKind kind) => kind == ReviewKind.Monthly;

    private sealed record Series(string Name, string Unit, bool Summed, IReadOnlyList<(DateOnly Day, double Value)> Days, Func<double, string> Format);

    public async Task<ReportSection> BuildAsync(ReviewScope scope, CancellationToken cancellationToken)
    {
        var env = scope.Environment;
        var end = scope.Window.End;
        var start = end - History;
        var asks = env.Tables.SelectMany((t, i) => new[]
            {
                new MetricAsk($"size{i}", TablesSection.CapacityNamespace, "TableSizeBytes", [new Dimension("TableName", t)], "Maximum"),
                new MetricAsk($"items{i}", TablesSection.CapacityNamespace, "TableItemCount", [new Dimension("TableName", t)], "Maximum"),
                MetricAsk.Table($"rcu{i}", t, "ConsumedReadCapacityUnits", "Sum"), MetricAsk.Table($"wcu{i}", t, "ConsumedWriteCapacityUnits", "Sum"),
            })
            .Concat(env.Functions.SelectMany((f, i) => new[] { MetricAsk.Function($"inv{i}", f, "Invocations", "Sum"), MetricAsk.Function($"conc{i}", f, "ConcurrentExecutions", "Maximum") }))
            .ToList();
        var values = await reads.ReadAsync(Line.Of("reading 90 days of ", Code(env.Name), "'s capacity metrics"), asks, start, end, WindowedValues.Day, cancellationToken);
        var cost = await CostDaysAsync(start, end, cancellationToken);

        var series = new List<Series>
        {
            new("Table size", "GB", false, Total(values, env.Tables.Count, "size").Select(d => (d.Day, d.Value / 1e9)).ToList(), v => $"{v:0.00} GB"),
            new("Items", "items", false, Total(values, env.Tables.Count, "items"), v => v.ToString("N0", CultureInfo.InvariantCulture)),
            new("Invocations", "invocations a day", true, Total(values, env.Functions.Count, "inv"), v => v.ToString("N0", CultureInfo.InvariantCulture)),
            new("Cost", "USD a day", true, cost, v => CostMessages.Money((decimal)v, "USD")),
        };
        var firstMonth = DateOnly.FromDateTime(end.UtcDateTime);
        firstMonth = new DateOnly(firstMonth.Year, firstMonth.Month, 1);
        var table = new StringBuilder();
        table.AppendLine($"{"month",-8} " + string.Join(" ", series.Select(s => $"{s.Name + (s.Summed ? " (month)" : " (end)"),-34}")));
        var fits = series.Select(s => TrendForecast.Fit(s.Days)).ToList();
        for (var m = 0; m < Months; m++)
        {
            var from = firstMonth.AddMonths(m);
            var to = from.AddMonths(1);
            table.AppendLine($"{from:yyyy-MM}  " + string.Join(" ", series.Select((s, i) => fits[i] is not { } f ? $"{"–",-34}"
                : $"{Range(s.Summed ? f.Sum(from, to) : f.At(to.AddDays(-1)), s.Format),-34}")));
        }

        var lines = new List<Line>();
        var actions = new List<ReviewAction>();
        await ThresholdsAsync(scope, values, firstMonth, lines, actions, cancellationToken);
        var warned = lines.Count > 0;
        if (!warned) lines.Add(Line.Of(Emoji("white_check_mark"), $" No scaling threshold is crossed in the next {Months} months at the trend of the last 90 days (reserved concurrency {ConcurrencyAbovePercent} %, provisioned capacity {TablesSection.ScaleAbovePercent} %)."));
        lines.Insert(0, Line.Of($"Forecast from the last {History.TotalDays:0} days (trend and weekly season; ranges are 95 % prediction intervals): ",
            string.Join("; ", series.Select((s, i) => fits[i] is { } f
                ? $"{s.Name.ToLowerInvariant()}{(s.Summed ? " a day" : "")} {(f.SlopePerDay >= 0 ? "+" : "−")}{s.Format(Math.Abs(f.SlopePerDay) * 30)} a month"
                : $"{s.Name.ToLowerInvariant()}: too little history"))));

        var charts = series.Select((s, i) => Chart(s, fits[i], firstMonth.AddMonths(Months))).ToList();
        return new ReportSection(Title, warned ? SectionHealth.Attention : SectionHealth.Healthy, lines) { Table = table.ToString().TrimEnd(), Actions = actions, Charts = charts };
    }

    private static string Range(Predicted p, Func<double, string> format) => $"{format(p.Mean)} ({format(Math.Max(0, p.Low))}–{format(p.High)})";

    private static Chart Chart(Series s, TrendForecast? fit, DateOnly until)
    {
        var history = new ChartLine("last 90 days", s.Days.Select(d => At(d.Day)).ToList(), s.Days.Select(d => d.Value).ToList());
        if (fit is null || s.Days.Count == 0) return new Chart($"{s.Name} forecast", s.Unit, [history]);
        var days = Enumerable.Range(1, until.DayNumber - s.Days[^1].Day.DayNumber).Select(s.Days[^1].Day.AddDays).ToList();
        var predicted = days.Select(fit.At).ToList();
        return new Chart($"{s.Name} forecast", s.Unit, [history, new ChartLine("forecast", days.Select(At).ToList(), predicted.Select(p => p.Mean).ToList())])
        {
            Band = new ChartBand("95 % interval", days.Select(At).ToList(), predicted.Select(p => Math.Max(0, p.Low)).ToList(), predicted.Select(p => p.High).ToList()),
        };
    }

    private static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The day-by-day total of one metric over the resources (<c>{prefix}{i}</c>), on the days every resource had a datapoint.</summary>
    private static IReadOnlyList<(DateOnly Day, double Value)> Total(MetricValues values, int count, string prefix)
    {
        var days = new SortedDictionary<DateOnly, (double Sum, int Seen)>();
        for (var i = 0; i < count; i++)
            if (values.Series($"{prefix}{i}") is { } s)
                foreach (var (t, v) in s.Timestamps.Zip(s.Values))
                {
                    var day = DateOnly.FromDateTime(t.UtcDateTime);
                    var (sum, seen) = days.GetValueOrDefault(day);
                    days[day] = (sum + v, seen + 1);
                }
        return days.Where(d => d.Value.Seen == count).Select(d => (d.Key, d.Value.Sum)).ToList();
    }

    private static IReadOnlyList<(DateOnly Day, double Value)> One(MetricValues values, string id) =>
        values.Series(id) is { } s ? s.Timestamps.Zip(s.Values).Select(p => (DateOnly.FromDateTime(p.First.UtcDateTime), p.Second)).OrderBy(p => p.Item1).ToList() : [];

    private async Task<IReadOnlyList<(DateOnly Day, double Value)>> CostDaysAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var answer = await AwsFailures.Guard("reading 90 days of cost", () => costExplorer.GetCostAndUsageAsync(new GetCostAndUsageRequest
        {
            TimePeriod = new DateInterval(CostPeriod.Iso(DateOnly.FromDateTime(start.UtcDateTime)), CostPeriod.Iso(DateOnly.FromDateTime(end.UtcDateTime))),
            Granularity = "DAILY",
            Metrics = [CostCommand.Metric],
        }, cancellationToken));
        return answer.ResultsByTime
            .Where(r => DateOnly.TryParseExact(r.TimePeriod?.Start, "yyyy-MM-dd", out _))
            .Select(r => (DateOnly.ParseExact(r.TimePeriod!.Start, "yyyy-MM-dd", CultureInfo.InvariantCulture), (double)(r.Total.TryGetValue(CostCommand.Metric, out var v) ? v.Value : 0)))
            .ToList();
    }

    /// <summary>The first forecast month in which a function's peak concurrency or a provisioned table's use crosses its threshold.</summary>
    private async Task ThresholdsAsync(ReviewScope scope, MetricValues values, DateOnly firstMonth, List<Line> lines, List<ReviewAction> actions, CancellationToken cancellationToken)
    {
        var env = scope.Environment;
        for (var i = 0; i < env.Functions.Count; i++)
        {
            var function = env.Functions[i];
            int? reserved;
            try
            {
                reserved = await cloud.GetReservedConcurrencyAsync(function, cancellationToken);
            }
            catch (PortException)
            {
                continue;
            }
            if (reserved is not > 0 || TrendForecast.Fit(One(values, $"conc{i}")) is not { } fit) continue;
            if (Crossing(fit, r => r.Mean, reserved.Value * ConcurrencyAbovePercent / 100, firstMonth) is not { } month) continue;
            lines.Add(Line.Of(Emoji("warning"), " ", Code(function), $": its peak concurrency would pass {ConcurrencyAbovePercent} % of its reserved {reserved} in {month:yyyy-MM} at this trend"));
            actions.Add(new ReviewAction(ActionArea.Capacity, Line.Of($"Raise the reserved concurrency of ", Code(function), $" before {month:yyyy-MM}: ", Code($"/sb concurrency {function} <n>"))));
        }
        for (var i = 0; i < env.Tables.Count; i++)
        {
            var name = env.Tables[i];
            TableDetails details;
            try
            {
                details = await tables.DescribeTableDetailsAsync(name, cancellationToken);
            }
            catch (Exception e) when (e is Bot.Integrations.Aws.AwsServiceException or Bot.Integrations.Aws.AwsTimeoutException or Bot.Integrations.Aws.AwsUnreachableException)
            {
                continue;
            }
            if (details.BillingMode == "PAY_PER_REQUEST") continue;
            foreach (var (kind, id, provisioned) in new[] { ("read", $"rcu{i}", details.ReadCapacity), ("write", $"wcu{i}", details.WriteCapacity) })
            {
                if (provisioned <= 0 || TrendForecast.Fit(One(values, id).Select(d => (d.Item1, d.Item2 / 86400)).ToList()) is not { } fit) continue;
                if (Crossing(fit, r => r.Mean, provisioned * TablesSection.ScaleAbovePercent / 100, firstMonth) is not { } month) continue;
                lines.Add(Line.Of(Emoji("warning"), " ", Code(name), $": its average {kind} use would pass {TablesSection.ScaleAbovePercent} % of the {provisioned} units provisioned in {month:yyyy-MM} at this trend"));
                actions.Add(new ReviewAction(ActionArea.Capacity, Line.Of($"Scale the {kind} capacity of ", Code(name), $" before {month:yyyy-MM}: ", Code($"/sb capacity {name} --env {env.Name}"))));
            }
        }
    }

    private static DateOnly? Crossing(TrendForecast fit, Func<Predicted, double> value, double threshold, DateOnly firstMonth)
    {
        for (var day = firstMonth; day < firstMonth.AddMonths(Months); day = day.AddDays(1))
            if (value(fit.At(day)) > threshold) return new DateOnly(day.Year, day.Month, 1);
        return null;
    }
}
