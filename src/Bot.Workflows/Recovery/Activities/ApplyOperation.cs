using Bot.Workflows.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Options;

namespace Bot.Workflows.Recovery.Activities;

/// <summary>
/// Runs an approved data change: copies the report version back, or changes the table's capacity, or hands a restore,
/// a drill or a clean-up to its own job (a workflow with its card, started once: its id comes from the change's).
/// </summary>
public sealed record ApplyOperation(string ChangeId, OperationPlan Plan, string Channel, string RequesterId, string RequesterName, bool Rehearsal) : Activity
{
    public override string Describe() => Plan.Describe();
}

public sealed class ApplyOperationHandler(
    IReportObjects objects,
    ITableCapacity capacity,
    IAggregateStore store,
    WorkflowEngine engine,
    IOptions<RecoveryOptions> options,
    TimeProvider time) : ActivityHandler<ApplyOperation>
{
    protected override async Task<LiveCheck> CheckAsync(ApplyOperation a, CancellationToken cancellationToken)
    {
        switch (a.Plan)
        {
            case ObjectRestorePlan p:
                var versions = await objects.VersionsOfAsync(p.Bucket, p.Key, cancellationToken);
                var current = versions.FirstOrDefault(v => v.IsLatest);
                var source = versions.FirstOrDefault(v => v.VersionId == p.VersionId);
                if (current?.VersionId == p.CurrentVersionId) return LiveCheck.Go;
                if (current is { IsDeleteMarker: false } && source is not null && current.ETag is not null && current.ETag == source.ETag && current.LastModified >= source.LastModified)
                    return LiveCheck.Done($"the current version of {p.Key} ({current.VersionId}) is already a copy of {p.VersionId}");
                return LiveCheck.Differs("ObjectChanged", $"{p.Key} changed since it was checked (current version {current?.VersionId ?? "none"}); nothing was copied.");
            case CapacityPlan p:
                var now = await capacity.GetCapacityAsync(p.Table, cancellationToken);
                if (CapacityMatches.To(p, now)) return LiveCheck.Done($"{p.Table} already has the capacity asked for");
                return CapacityMatches.From(p, now) || now.BillingMode == p.ToMode ? LiveCheck.Go
                    : LiveCheck.Differs("CapacityChanged", $"the capacity of {p.Table} changed since it was checked ({CapacityMatches.Describe(now)}); nothing was changed.");
            default:
                var (type, id) = JobOf(a);
                return await store.LoadAsync(type, id, cancellationToken) is not null ? LiveCheck.Done($"{id} was already started") : LiveCheck.Go;
        }
    }

    protected override async Task<ActivityResult> RunAsync(ApplyOperation a, CancellationToken cancellationToken)
    {
        switch (a.Plan)
        {
            case ObjectRestorePlan p:
                var copy = await objects.RestoreVersionAsync(p.Bucket, p.Key, p.VersionId, cancellationToken);
                return new ActivityResult($"version {p.VersionId} of {p.Key} is the current one again (as version {copy ?? "null"}); every other version stays");
            case CapacityPlan p:
                await ApplyCapacityAsync(p, cancellationToken);
                return new ActivityResult(p.Describe());
            default:
                var job = NewJob(a);
                var created = await engine.CreateAsync(job, WorkflowActor.Bot, null, null, cancellationToken);
                if (created.Kind is not (FireOutcomeKind.Transitioned or FireOutcomeKind.Refused))
                    throw new PortException("JobNotStarted", $"{job.Id} could not be saved ({created.Describe()})", transient: true);
                return new ActivityResult($"handed to {job.Id}, whose card follows it");
        }
    }

    private async Task ApplyCapacityAsync(CapacityPlan p, CancellationToken cancellationToken)
    {
        var live = await capacity.GetCapacityAsync(p.Table, cancellationToken);
        if (p.ToOnDemand)
        {
            foreach (var a in live.Autoscaling) await capacity.RemoveAutoscalingAsync(a.ResourceId, a.Dimension, cancellationToken);
            if (!live.OnDemand) await capacity.SetOnDemandAsync(p.Table, cancellationToken);
            return;
        }
        if (live.OnDemand || live.Read != p.ToRead || live.Write != p.ToWrite)
            await capacity.SetProvisionedAsync(p.Table, p.ToRead, p.ToWrite, p.Indexes, cancellationToken);
        if (p.AutoscaleMin is { } min && p.AutoscaleMax is { } max)
        {
            foreach (var resource in new[] { $"table/{p.Table}" }.Concat(p.Indexes.Select(i => $"table/{p.Table}/index/{i}")))
            {
                var kind = resource.Contains("/index/", StringComparison.Ordinal) ? "index" : "table";
                foreach (var unit in new[] { "ReadCapacityUnits", "WriteCapacityUnits" })
                    await capacity.SetAutoscalingAsync(new AutoscaleSetting(resource, $"dynamodb:{kind}:{unit}", min, max, p.AutoscaleTarget), cancellationToken);
            }
        }
        else
        {
            foreach (var a in live.Autoscaling) await capacity.RemoveAutoscalingAsync(a.ResourceId, a.Dimension, cancellationToken);
        }
    }

    private (string Type, string Id) JobOf(ApplyOperation a) => a.Plan switch
    {
        SessionCleanupPlan => (CleanupJob.Type, RecoveryIds.ForChange(RecoveryIds.Cleanup, a.ChangeId)),
        DrillPlan => (RestoreJob.Type, RecoveryIds.ForChange(RecoveryIds.Drill, a.ChangeId)),
        _ => (RestoreJob.Type, RecoveryIds.ForChange(RecoveryIds.Restore, a.ChangeId)),
    };

    private IWorkflow NewJob(ApplyOperation a)
    {
        var owner = new JobOwner(a.Channel, a.RequesterId, a.RequesterName, a.Rehearsal, a.ChangeId);
        var id = JobOf(a).Id;
        return a.Plan switch
        {
            SessionCleanupPlan p => RecoveryJobs.Cleanup(id, p, owner),
            DrillPlan p => RecoveryJobs.Drill(id, p, owner, options.Value, time.GetUtcNow()),
            TableRestorePlan p => RecoveryJobs.Restore(id, p, owner, options.Value, time.GetUtcNow()),
            _ => throw new PortException("UnknownPlan", "this bot does not know how to run that change", transient: false),
        };
    }
}
