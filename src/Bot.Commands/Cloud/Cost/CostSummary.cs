using Bot.Integrations.Aws.CostExplorer;

namespace Bot.Commands.Cloud.Cost;

/// <summary>Cost Explorer's answer boiled down to what the message shows.</summary>
public sealed record CostSummary(
    CostPeriod Period,
    string GroupBy,
    string? Service,
    string Unit,
    decimal Total,
    decimal PreviousTotal,
    IReadOnlyList<(string Key, decimal Amount)> Groups,
    IReadOnlyList<(DateOnly Day, decimal Amount)> Daily,
    bool Estimated)
{
    /// <summary>Change against the previous period in percent; null when the previous period cost nothing.</summary>
    public decimal? ChangePercent => PreviousTotal == 0 ? null : Math.Round((Total - PreviousTotal) / PreviousTotal * 100, 1);

    public static CostSummary From(CostPeriod period, string groupBy, string? service, GetCostAndUsageResponse current, GetCostAndUsageResponse previous)
    {
        var groups = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var daily = new List<(DateOnly, decimal)>();
        string? unit = null;
        foreach (var day in current.ResultsByTime)
        {
            decimal dayTotal = 0;
            foreach (var g in day.Groups)
            {
                if (!g.Metrics.TryGetValue(CostCommand.Metric, out var value)) continue;
                unit ??= value.Unit;
                var key = g.Keys.Count > 0 ? g.Keys[0] : "(none)";
                groups[key] = groups.GetValueOrDefault(key) + value.Value;
                dayTotal += value.Value;
            }
            // Ungrouped answers carry the amount in Total instead.
            if (day.Groups.Count == 0 && day.Total.TryGetValue(CostCommand.Metric, out var total))
            {
                unit ??= total.Unit;
                dayTotal = total.Value;
            }
            if (DateOnly.TryParseExact(day.TimePeriod?.Start, "yyyy-MM-dd", out var date)) daily.Add((date, dayTotal));
        }
        decimal previousTotal = 0;
        foreach (var p in previous.ResultsByTime)
        {
            if (p.Total.TryGetValue(CostCommand.Metric, out var t)) { previousTotal += t.Value; unit ??= t.Unit; }
            else previousTotal += p.Groups.Sum(g => g.Metrics.TryGetValue(CostCommand.Metric, out var v) ? v.Value : 0);
        }
        return new CostSummary(period, groupBy, service, unit ?? "USD",
            daily.Sum(d => d.Item2), previousTotal,
            groups.OrderByDescending(g => g.Value).Select(g => (g.Key, g.Value)).ToList(),
            daily.OrderBy(d => d.Item1).ToList(),
            current.ResultsByTime.Any(r => r.Estimated));
    }
}
