using System.Globalization;
using Bot.Commands.Cloud;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using Bot.Workflows.Recovery;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Capacity;

/// <summary>
/// A table's capacity as the procedures' "Capacity Planning" reads it: billing mode, provisioned and consumed read and
/// write capacity over 7 days (hourly, per second), the peak against what is provisioned (the "Scaling Thresholds":
/// scale when utilisation passes 70 %), throttles, and auto scaling targets and policies; with a chart.
/// </summary>
public sealed class TableCapacityView(ITableCapacity capacity, ICloudWatchClient cloudWatch, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);
    public const double Threshold = 70;

    public async Task<(ChatMessage Message, Chart Chart)> BuildAsync(string environment, string table, CancellationToken cancellationToken)
    {
        var facts = await Changes.ChangeReads.ReadAsync(Line.Of("the capacity of ", Code(table)), () => capacity.GetCapacityAsync(table, cancellationToken));
        var end = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds() / 3600 * 3600);
        var start = end - Window;
        var results = await AwsFailures.Guard(Line.Of("reading the capacity metrics of ", Code(table)), () => cloudWatch.GetMetricDataAsync(new GetMetricDataRequest
        {
            StartTime = start,
            EndTime = end,
            MetricDataQueries = new[] { ("rcu", "ConsumedReadCapacityUnits"), ("wcu", "ConsumedWriteCapacityUnits"), ("rthr", "ReadThrottleEvents"), ("wthr", "WriteThrottleEvents") }
                .Select(q => new MetricDataQuery
                {
                    Id = q.Item1,
                    Label = q.Item2,
                    MetricStat = new MetricStat { Metric = new Metric { Namespace = "AWS/DynamoDB", MetricName = q.Item2, Dimensions = [new Dimension("TableName", table)] }, Period = 3600, Stat = "Sum" },
                }).ToList(),
        }, cancellationToken));
        var byId = results.Where(r => r.Id is not null).ToDictionary(r => r.Id!);
        double[] PerSecond(string id) => byId.GetValueOrDefault(id)?.Values.Select(v => v / 3600).ToArray() ?? [];
        double Sum(string id) => byId.GetValueOrDefault(id)?.Values.Sum() ?? 0;
        var read = PerSecond("rcu");
        var write = PerSecond("wcu");
        var throttles = Sum("rthr") + Sum("wthr");

        var lines = new List<Line>
        {
            Line.Of(Strong("Billing: "), facts.OnDemand ? Line.Of(Code("on-demand"), " (pay per request)") : Line.Of(Code("provisioned"), $" {facts.Read:N0} RCU / {facts.Write:N0} WCU"),
                facts.LastSwitchToOnDemand is { } switched ? Line.Of(" · last switch to on-demand ", Time(switched)) : ""),
            Usage("Read", read, facts.OnDemand ? null : facts.Read),
            Usage("Write", write, facts.OnDemand ? null : facts.Write),
            Line.Of(Emoji(throttles > 0 ? "warning" : "white_check_mark"), $" Throttle events: {throttles:N0} in 7 days", throttles > 0 ? " (the procedures: scale up when throttling occurs)" : ""),
        };
        foreach (var (index, (r, w)) in facts.Indexes)
            lines.Add(Line.Of("Index ", Code(index), facts.OnDemand ? ": on-demand" : $": {r:N0} RCU / {w:N0} WCU"));
        if (facts.Autoscaling.Count == 0)
            lines.Add(Line.Of(Strong("Auto scaling: "), facts.OnDemand ? "none (not needed on-demand)" : "none"));
        foreach (var a in facts.Autoscaling)
            lines.Add(Line.Of(Strong("Auto scaling: "), Code(a.ResourceId), " ", Code(a.Dimension.Split(':')[^1]), $" {a.Min:N0}–{a.Max:N0}",
                a.TargetUtilization is { } target ? $", target tracking at {target:0.#} %" : ", no target tracking policy"));
        var heading = Line.Of(Emoji("bar_chart"), " ", Strong($"Capacity of {table} ({environment}), last 7 days"));
        var note = Line.Of("Change it: ", Code($"/sb capacity {table} provisioned --read N --write N --autoscale MIN-MAX --target 70"), " or ", Code($"/sb capacity {table} on-demand"), ".");
        var message = ChatMessage.InChannel(Line.Join("\n", [heading, .. lines]), [new TextBlock(heading), new LinesBlock(lines), new NoteBlock(note)]);

        var hours = byId.GetValueOrDefault("rcu")?.Timestamps ?? [];
        var chartLines = new List<ChartLine>
        {
            new("consumed RCU/s", hours, read),
            new("consumed WCU/s", byId.GetValueOrDefault("wcu")?.Timestamps ?? [], write),
        };
        if (!facts.OnDemand && hours.Count > 0)
        {
            chartLines.Add(new ChartLine("provisioned RCU", [hours.Min(), hours.Max()], [facts.Read, facts.Read]));
            chartLines.Add(new ChartLine("provisioned WCU", [hours.Min(), hours.Max()], [facts.Write, facts.Write]));
        }
        return (message, new Chart($"Capacity of {table}, last 7 days (hourly)", "capacity units per second", chartLines));
    }

    private static Line Usage(string what, double[] perSecond, long? provisioned)
    {
        var average = perSecond.Length == 0 ? 0 : perSecond.Average();
        var peak = perSecond.Length == 0 ? 0 : perSecond.Max();
        var text = $"{what}: {Num(average)}/s on average, peak hour {Num(peak)}/s";
        if (provisioned is not { } p || p == 0) return Line.Of(Emoji("information_source"), " ", text);
        var utilisation = peak / p * 100;
        return Line.Of(Emoji(utilisation > Threshold ? "warning" : "white_check_mark"), " ", text, $" — {utilisation:0} % of {p:N0} provisioned",
            utilisation > Threshold ? $" (above the procedures' {Threshold:0} %: scale up or turn on auto scaling)" : "");
    }

    private static string Num(double v) => v.ToString(v >= 100 ? "N0" : "0.#", CultureInfo.InvariantCulture);
}
