using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Recovery;

/// <summary>
/// The guide's "Switch DynamoDB to Provisioned Capacity" (or back to on-demand): the billing mode and throughput of
/// <see cref="Table"/> and its indexes, and auto scaling of read and write between <see cref="AutoscaleMin"/> and
/// <see cref="AutoscaleMax"/> at <see cref="AutoscaleTarget"/> % (none: no auto scaling; on-demand removes it). The
/// <c>From…</c> values are those read at the request; the change runs only if they still hold.
/// </summary>
public sealed record CapacityPlan(
    string Environment,
    string Table,
    string FromMode,
    long FromRead,
    long FromWrite,
    IReadOnlyList<AutoscaleSetting> FromAutoscaling,
    string ToMode,
    long ToRead,
    long ToWrite,
    IReadOnlyList<string> Indexes,
    int? AutoscaleMin,
    int? AutoscaleMax,
    double? AutoscaleTarget) : OperationPlan
{
    public const string OnDemand = "PAY_PER_REQUEST";
    public const string Provisioned = "PROVISIONED";

    public bool ToOnDemand => ToMode == OnDemand;

    public bool SwitchesMode => FromMode != ToMode;

    public override string Describe() => ToOnDemand
        ? $"switch {Table} to on-demand"
        : $"{Table}: provisioned {ToRead} RCU / {ToWrite} WCU" + (AutoscaleMin is { } min ? $", auto scaling {min}-{AutoscaleMax} at {AutoscaleTarget:0.#} %" : "");

    public override string Title => $"capacity of {Table}";

    public override IEnumerable<Line> Details()
    {
        yield return Line.Of(Strong("Now: "), Show(FromMode, FromRead, FromWrite), FromAutoscaling.Count == 0 ? ", no auto scaling"
            : $", auto scaling on {FromAutoscaling.Count} dimension(s)");
        yield return Line.Of(Strong("After: "), Show(ToMode, ToRead, ToWrite), Indexes.Count > 0 && !ToOnDemand ? Line.Of(" (each index too: ", Line.Join(", ", Indexes.Select(i => Line.Of(Code(i)))), ")") : "");
        if (AutoscaleMin is { } min)
            yield return Line.Of(Strong("Auto scaling: "), $"read and write between {min} and {AutoscaleMax}, target tracking at {AutoscaleTarget:0.#} % utilisation (the guide's threshold is 70 %)");
        else if (FromAutoscaling.Count > 0)
            yield return Line.Of(Strong("Auto scaling: "), ToOnDemand ? "removed (an on-demand table has nothing to scale)" : "removed");
        if (SwitchesMode) yield return Line.Of(Strong("Note: "), "AWS limits billing-mode switches (the bot allows one a day); the next switch is possible 24 h after this one");
    }

    private static Line Show(string mode, long read, long write) =>
        mode == OnDemand ? Line.Of(Code("on-demand")) : Line.Of(Code("provisioned"), $" {read:N0} RCU / {write:N0} WCU");
}
