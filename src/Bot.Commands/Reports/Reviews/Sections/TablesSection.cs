using System.Text;
using Bot.Commands.Changes;
using Bot.Commands.Reports.Kpis;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.Aws.DynamoDb;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Reviews.Sections;

/// <summary>
/// The tables, window over window: consumed read and write capacity, throttles, and item-count growth (the capacity job's
/// <c>SecureBase/Capacity TableItemCount</c>). ⚠️ by the procedures: any throttle, and a provisioned table whose busiest hour
/// used more than 70 % of its read or write capacity (scale it).
/// </summary>
public sealed class TablesSection(MetricReads reads, IDynamoDbRecovery tables) : IReviewSection
{
    public const double ScaleAbovePercent = 70;
    public const string CapacityNamespace = "SecureBase/Capacity";

    public string Title => "DynamoDB tables";

    public bool PartOf(ReviewKind kind) => true;

    public async Task<ReportSection> BuildAsync(ReviewScope scope, CancellationToken cancellationToken)
    {
        var env = scope.Environment;
        var asks = env.Tables.SelectMany((t, i) => new[]
        {
            MetricAsk.Table($"rcu{i}", t, "ConsumedReadCapacityUnits", "Sum"), MetricAsk.Table($"wcu{i}", t, "ConsumedWriteCapacityUnits", "Sum"),
            MetricAsk.Table($"rthr{i}", t, "ReadThrottleEvents", "Sum"), MetricAsk.Table($"wthr{i}", t, "WriteThrottleEvents", "Sum"),
        }).ToList();
        var values = await WindowedValues.ReadAsync(reads, Line.Of("reading the tables' metrics of ", Code(env.Name)), asks, scope.Window, cancellationToken);
        var hourly = await reads.ReadAsync(Line.Of("reading the tables' busiest hours in ", Code(env.Name)),
            env.Tables.SelectMany((t, i) => new[] { MetricAsk.Table($"hr{i}", t, "ConsumedReadCapacityUnits", "Sum"), MetricAsk.Table($"hw{i}", t, "ConsumedWriteCapacityUnits", "Sum") }).ToList(),
            scope.Window.Start, scope.Window.End, 3600, cancellationToken);
        var items = await reads.ReadAsync(Line.Of("reading the tables' item counts in ", Code(env.Name)),
            env.Tables.Select((t, i) => new MetricAsk($"items{i}", CapacityNamespace, "TableItemCount", [new Dimension("TableName", t)], "Maximum")).ToList(),
            scope.Window.Previous.Start, scope.Window.End, WindowedValues.Day, cancellationToken);
        var details = await Task.WhenAll(env.Tables.Select(t => DetailsAsync(t, cancellationToken)));

        var lines = new List<Line>();
        var actions = new List<ReviewAction>();
        var table = new StringBuilder();
        table.AppendLine($"{"table",-16} {"read units",12} {"vs before",10} {"write units",12} {"vs before",10} {"throttles",9} {"items",12} {"growth",9} {"billing",10}");
        for (var i = 0; i < env.Tables.Count; i++)
        {
            var name = env.Tables[i];
            var throttles = (values.Now($"rthr{i}") ?? 0) + (values.Now($"wthr{i}") ?? 0);
            var (itemsNow, itemsBefore) = ItemCounts(items.Series($"items{i}"), scope.Window);
            var d = details[i];
            table.AppendLine($"{FunctionsSection.Cut(WindowedValues.ShortName(env, name), 16),-16} {KpiReader.Count(values.Now($"rcu{i}") ?? 0),12} {WindowedValues.Change(values.Now($"rcu{i}"), values.Before($"rcu{i}")),10} " +
                             $"{KpiReader.Count(values.Now($"wcu{i}") ?? 0),12} {WindowedValues.Change(values.Now($"wcu{i}"), values.Before($"wcu{i}")),10} {KpiReader.Count(throttles),9} " +
                             $"{(itemsNow is { } n ? KpiReader.Count(n) : "–"),12} {WindowedValues.Change(itemsNow, itemsBefore),9} {(d?.BillingMode == "PAY_PER_REQUEST" ? "on-demand" : d is null ? "–" : "provisioned"),10}");
            if (throttles > 0)
            {
                lines.Add(Line.Of(Emoji("warning"), " ", Code(name), $": {KpiReader.Count(throttles)} throttled requests (the guide's DynamoDB throttling playbook)"));
                actions.Add(new ReviewAction(ActionArea.Capacity, Line.Of("Look at the capacity of ", Code(name), ": ", Code($"/sb capacity {name} --env {env.Name}"))));
            }
            if (d is { BillingMode: not "PAY_PER_REQUEST" })
                foreach (var (kind, id, provisioned) in new[] { ("read", $"hr{i}", d.ReadCapacity), ("write", $"hw{i}", d.WriteCapacity) })
                {
                    var peak = hourly.Max(id) / 3600;
                    if (provisioned <= 0 || peak / provisioned * 100 <= ScaleAbovePercent) continue;
                    lines.Add(Line.Of(Emoji("warning"), " ", Code(name), $": its busiest hour used {peak:0.#} {kind} units a second, {peak / provisioned * 100:0} % of the {provisioned} provisioned (above {ScaleAbovePercent} %)"));
                    actions.Add(new ReviewAction(ActionArea.Capacity, Line.Of($"Scale the {kind} capacity of ", Code(name), ": ", Code($"/sb capacity {name} --env {env.Name}"))));
                }
        }
        var warned = lines.Count > 0;
        if (!warned) lines.Add(Line.Of(Emoji("white_check_mark"), $" No throttling, and every provisioned table under {ScaleAbovePercent} % of its capacity in its busiest hour."));
        var chart = new Chart($"Items per table, {env.Name}", "items",
            env.Tables.Select((t, i) => items.Series($"items{i}") is { } s ? new ChartLine(WindowedValues.ShortName(env, t), s.Timestamps, s.Values) : null).OfType<ChartLine>().ToList());
        return new ReportSection(Title, warned ? SectionHealth.Attention : SectionHealth.Healthy, lines) { Table = table.ToString().TrimEnd(), Actions = actions, Charts = [chart] };
    }

    /// <summary>The last daily item count in the window and the last one in the window before.</summary>
    private static (double? Now, double? Before) ItemCounts(MetricDataResult? series, ReportWindow window)
    {
        if (series is null) return (null, null);
        var points = series.Timestamps.Zip(series.Values).ToList();
        double? Last(DateTimeOffset from, DateTimeOffset to) => points.Where(p => p.First >= from && p.First < to).OrderBy(p => p.First).Select(p => (double?)p.Second).LastOrDefault();
        return (Last(window.Start, window.End), Last(window.Previous.Start, window.Previous.End));
    }

    private async Task<TableDetails?> DetailsAsync(string table, CancellationToken cancellationToken)
    {
        try
        {
            return await Cloud.AwsFailures.Guard(Line.Of("describing ", Code(table)), () => tables.DescribeTableDetailsAsync(table, cancellationToken));
        }
        catch (Routing.UserFacingException)
        {
            return null;
        }
    }
}
