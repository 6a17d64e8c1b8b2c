using Bot.Workflows.Ports;

namespace Bot.Workflows.Recovery;

/// <summary>Whether a table's live capacity is still what a capacity change read at its request, or already what it sets.</summary>
public static class CapacityMatches
{
    /// <summary>How long the bot waits between billing-mode switches (AWS's rule as the ops team plans by it: once a day).</summary>
    public static readonly TimeSpan SwitchEvery = TimeSpan.FromHours(24);

    /// <summary>Provisioned throughput under auto scaling moves by itself, so then only the mode and the targets are compared.</summary>
    public static bool From(CapacityPlan p, CapacityFacts now) =>
        now.BillingMode == p.FromMode && (now.OnDemand || p.FromAutoscaling.Count > 0 || (now.Read == p.FromRead && now.Write == p.FromWrite))
        && Same(now.Autoscaling, p.FromAutoscaling);

    public static bool To(CapacityPlan p, CapacityFacts now)
    {
        if (now.BillingMode != p.ToMode) return false;
        if (p.ToOnDemand) return now.Autoscaling.Count == 0;
        if (p.AutoscaleMin is { } min)
            return now.Autoscaling.Count(a => a.Min == min && a.Max == p.AutoscaleMax && a.TargetUtilization == p.AutoscaleTarget) == Expected(p);
        return now.Read == p.ToRead && now.Write == p.ToWrite && now.Autoscaling.Count == 0;
    }

    /// <summary>The targets a plan with auto scaling registers: read and write of the table and of each index.</summary>
    public static int Expected(CapacityPlan p) => 2 * (1 + p.Indexes.Count);

    public static string Describe(CapacityFacts f) =>
        (f.OnDemand ? "on-demand" : $"provisioned {f.Read} RCU / {f.Write} WCU") + (f.Autoscaling.Count == 0 ? ", no auto scaling" : $", auto scaling on {f.Autoscaling.Count} dimension(s)");

    private static bool Same(IReadOnlyList<AutoscaleSetting> a, IReadOnlyList<AutoscaleSetting> b) =>
        a.Count == b.Count && a.OrderBy(x => x.ResourceId + x.Dimension, StringComparer.Ordinal).SequenceEqual(b.OrderBy(x => x.ResourceId + x.Dimension, StringComparer.Ordinal));
}
