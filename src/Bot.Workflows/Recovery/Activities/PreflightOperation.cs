using Bot.Workflows.Activities;
using Bot.Workflows.Changes;
using Bot.Workflows.Changes.Activities;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Recovery.Activities;

/// <summary>
/// Before an approved data change runs, the live state must still be what the approvers saw: the restore time still in
/// the window and the new table still free; the report's current version unchanged; the table's capacity as it was;
/// the drill tables free. As for every change: the stored spec still hashes to the approved digest, no freeze forbids it,
/// and the approvers' roles are read again (the result carries them). Nothing is changed.
/// </summary>
public sealed record PreflightOperation(OperationPlan Plan, ChangeSpec Spec, string Digest, ChangeCategory Category, IReadOnlyList<ApproverRef> Approvers) : Activity
{
    public override string Describe() => $"check the live state before: {Plan.Describe()}";
}

public sealed class PreflightOperationHandler(ITableRecovery tables, IReportObjects objects, ITableCapacity capacity, IDirectory directory, TimeProvider time,
    FreezeCalendar? freezes = null) : ActivityHandler<PreflightOperation>
{
    private readonly FreezeCalendar _freezes = freezes ?? FreezeCalendar.None;

    protected override async Task<LiveCheck> CheckAsync(PreflightOperation a, CancellationToken cancellationToken)
    {
        return PreflightRules.Refusal(a.Spec, a.Digest, a.Category, _freezes, time.GetUtcNow()) ?? await PlanAsync(a, cancellationToken);
    }

    private async Task<LiveCheck> PlanAsync(PreflightOperation a, CancellationToken cancellationToken) => a.Plan switch
    {
        TableRestorePlan p => await RestoreAsync(p, cancellationToken),
        ObjectRestorePlan p => await ObjectAsync(p, cancellationToken),
        CapacityPlan p => await CapacityAsync(p, cancellationToken),
        DrillPlan p => await DrillAsync(p, cancellationToken),
        SessionCleanupPlan p => await tables.DescribeTableAsync(p.Table, cancellationToken) is null
            ? LiveCheck.Differs("TableGone", $"{p.Table} does not exist any more; nothing was deleted.") : LiveCheck.Go,
        _ => LiveCheck.Differs("UnknownPlan", "this bot does not know how to run that change; nothing was changed."),
    };

    protected override async Task<ActivityResult> RunAsync(PreflightOperation a, CancellationToken cancellationToken) =>
        PreflightRules.Passed("the live state matches the approval", await PreflightRules.RolesNowAsync(directory, a.Approvers, cancellationToken));

    private async Task<LiveCheck> RestoreAsync(TableRestorePlan p, CancellationToken cancellationToken)
    {
        var window = await tables.GetRestoreWindowAsync(p.Source, cancellationToken);
        if (!window.Contains(p.RestoreTo))
            return LiveCheck.Differs("OutsideWindow", $"{p.RestoreTo:u} is no longer inside the restorable window of {p.Source} ({Window(window)}); request it again. Nothing was restored.");
        if (await tables.DescribeTableAsync(p.Target, cancellationToken) is not null)
            return LiveCheck.Differs("TargetExists", $"{p.Target} exists now; a restore never overwrites a table. Nothing was restored.");
        return LiveCheck.Go;
    }

    private async Task<LiveCheck> ObjectAsync(ObjectRestorePlan p, CancellationToken cancellationToken)
    {
        var versions = await objects.VersionsOfAsync(p.Bucket, p.Key, cancellationToken);
        if (versions.FirstOrDefault(v => v.VersionId == p.VersionId) is not { IsDeleteMarker: false })
            return LiveCheck.Differs("VersionGone", $"version {p.VersionId} of {p.Key} is not there any more; nothing was copied.");
        var current = versions.FirstOrDefault(v => v.IsLatest);
        if (current?.VersionId != p.CurrentVersionId)
            return LiveCheck.Differs("ObjectChanged", $"{p.Key} changed since the request (its current version is {current?.VersionId ?? "none"}, not {p.CurrentVersionId ?? "none"}); request it again. Nothing was copied.");
        return LiveCheck.Go;
    }

    private async Task<LiveCheck> CapacityAsync(CapacityPlan p, CancellationToken cancellationToken)
    {
        var now = await capacity.GetCapacityAsync(p.Table, cancellationToken);
        if (!CapacityMatches.From(p, now))
            return LiveCheck.Differs("CapacityChanged", $"the capacity of {p.Table} changed since the request ({CapacityMatches.Describe(now)}); request it again. Nothing was changed.");
        if (p.SwitchesMode && now.LastSwitchToOnDemand is { } last && time.GetUtcNow() - last < CapacityMatches.SwitchEvery)
            return LiveCheck.Differs("SwitchTooSoon", $"{p.Table} switched to on-demand at {last:u}; AWS allows the next billing-mode switch after {last + CapacityMatches.SwitchEvery:u}. Nothing was changed.");
        return LiveCheck.Go;
    }

    private async Task<LiveCheck> DrillAsync(DrillPlan p, CancellationToken cancellationToken)
    {
        foreach (var t in p.Tables)
        {
            if (await tables.DescribeTableAsync(t.Target, cancellationToken) is not null)
                return LiveCheck.Differs("TargetExists", $"{t.Target} exists already; a drill only deletes tables it made, so it does not start. Nothing was restored.");
            var window = await tables.GetRestoreWindowAsync(t.Source, cancellationToken);
            if (!window.Enabled)
                return LiveCheck.Differs("NoPitr", $"point-in-time recovery is off on {t.Source}; it cannot be restored. Nothing was restored.");
        }
        return LiveCheck.Go;
    }

    private static string Window(RestoreWindow w) => w.Enabled ? $"{w.Earliest:u} to {w.Latest:u}" : "point-in-time recovery is off";
}
