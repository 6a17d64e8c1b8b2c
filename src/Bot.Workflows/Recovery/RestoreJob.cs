using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Bot.Workflows.Recovery.Activities;
using Stateless;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Recovery;

/// <summary>
/// Follows table restores that an approved change (or a staging drill) started: requests them, looks at them every
/// <see cref="RestoreJobData.PollInterval"/> until each copy is ACTIVE and verified (or gone), and, for a drill, deletes
/// the drill tables it made and reports the measured RTO and RPO against the objectives. Every step is a saved
/// transition, so a restart picks up where it was; the card shows each table's progress.
/// </summary>
public sealed partial class RestoreJob : WorkflowAggregate<RestoreJobState, RestoreJobTrigger, RestoreJobData>
{
    public const string Type = "restore";

    public static readonly WorkflowDefinition<RestoreJob> Definition = new(Type, id => new RestoreJob(id));

    public RestoreJob(string id) : base(id, RestoreJobState.Starting) { }

    public override string AggregateType => Type;

    public override string? CardChannel => Data.Channel;

    public static RestoreJob Create(string id, RestoreJobData data) => new(id) { Data = data };

    protected override void OnCreated()
    {
        Data.CreatedAt = Context.Now;
        AuditDetail("purpose", Data.Purpose.ToString());
        AuditDetail("tables", string.Join(", ", Data.Steps.Select(s => $"{s.Source} → {s.Target}")));
        if (Data.ChangeId is { } change)
            Post(Data.Channel, Line.Of(Emoji("arrows_counterclockwise"), " Change ", Code(change), Data.Purpose == RestorePurpose.Drill ? " started DR drill " : " started restore ", Code(Id), ": its card follows it."));
        Run("start", new StartRestores(Id, Context.Now, Data.Steps.Select(s => new RestoreRequest(s.Source, s.Target, s.RestoreTo)).ToList()),
            RestoreJobTrigger.Started, RestoreJobTrigger.StartFailed);
    }

    protected override void Configure(StateMachine<RestoreJobState, RestoreJobTrigger> machine)
    {
        var afterStart = new Stateless.Reflection.DynamicStateInfos();
        afterStart.Add(RestoreJobState.Restoring, "at least one restore started");
        afterStart.Add(RestoreJobState.Failed, "none started");
        var afterLook = new Stateless.Reflection.DynamicStateInfos();
        afterLook.Add(RestoreJobState.Restoring, "still restoring");
        afterLook.Add(RestoreJobState.CleaningUp, "a drill: every table verified or failed");
        afterLook.Add(RestoreJobState.Completed, "every copy verified");
        afterLook.Add(RestoreJobState.Failed, "a restore failed, or it took too long");

        machine.Configure(RestoreJobState.Starting)
            .PermitDynamic(On(RestoreJobTrigger.Started), AfterStart, possibleDestinationStates: afterStart)
            .Permit(RestoreJobTrigger.StartFailed, RestoreJobState.Failed);

        machine.Configure(RestoreJobState.Restoring)
            .PermitDynamic(On(RestoreJobTrigger.Polled), AfterLook, possibleDestinationStates: afterLook)
            .PermitDynamic(On(RestoreJobTrigger.PollFailed), ctx => ctx.Now >= Data.GiveUpAt ? GiveUp() : RestoreJobState.Restoring, possibleDestinationStates: afterLook)
            .OnEntryFrom(On(RestoreJobTrigger.Started), ctx =>
            {
                var started = Data.Steps.Where(s => s.Created).ToList();
                Timeline(Line.Of($"Restoring {started.Count} table(s): ", Line.Join(", ", started.Select(s => Line.Of(Code(s.Source), " → ", Code(s.Target)))),
                    ". Looking every ", OperationPlan.Span(Data.PollInterval), "."));
                foreach (var failed in Data.Steps.Where(s => s.Status == RestoreStepStatus.Failed))
                    Timeline(Line.Of(Emoji("x"), " ", Code(failed.Source), " was not restored: ", failed.Error ?? "it could not start"));
                SchedulePoll(ctx);
            }, "look again after the poll interval")
            .OnEntryFrom(On(RestoreJobTrigger.Polled), SchedulePoll, "look again after the poll interval")
            .OnEntryFrom(On(RestoreJobTrigger.PollFailed), ctx =>
            {
                Timeline(Line.Of("Could not look at the restores this time: ", ctx.Activity?.Message ?? "unknown failure", ". Looking again."));
                SchedulePoll(ctx);
            }, "look again after the poll interval");
        Internal(machine.Configure(RestoreJobState.Restoring), RestoreJobTrigger.Poll, ctx => ctx.Expectation == $"poll:{Data.Polls + 1}", "This look is out of date.", ctx =>
        {
            Data.Polls++;
            Run("poll", new PollRestores(Id, Data.Polls, Data.Steps.Where(s => !s.Done).Select(s => new RestoreTarget(s.Source, s.Target)).ToList(), Data.EnablePitrOnCopy),
                RestoreJobTrigger.Polled, RestoreJobTrigger.PollFailed);
        });

        machine.Configure(RestoreJobState.CleaningUp)
            .Permit(RestoreJobTrigger.CleanedUp, RestoreJobState.Completed)
            .Permit(RestoreJobTrigger.CleanupFailed, RestoreJobState.Failed)
            .OnEntry(() =>
            {
                var mine = Data.Steps.Where(s => s.Created && s.DeletedAt is null).Select(s => s.Target).ToList();
                Timeline(Line.Of("Deleting the drill tables this drill made: ", Line.Join(", ", mine.Select(t => Line.Of(Code(t))))));
                Run("cleanup", new DeleteDrillTables(Id, mine), RestoreJobTrigger.CleanedUp, RestoreJobTrigger.CleanupFailed);
            }, "delete the drill tables it made");

        machine.Configure(RestoreJobState.Completed).OnEntry(() => Finish(succeeded: true), "report");
        machine.Configure(RestoreJobState.Failed).OnEntry(() => Finish(succeeded: false), "report what was found");
    }

    private RestoreJobState AfterStart(FireContext ctx)
    {
        foreach (var start in RecoveryJson.Read<List<RestoreStart>>(ctx.Activity?.DetailJson) ?? [])
        {
            var step = Data.Steps.FirstOrDefault(s => s.Target == start.Target);
            if (step is null) continue;
            step.Created = start.Created;
            step.StartedAt = start.StartedAt;
            step.LatestRestorableAtStart = start.LatestRestorable;
            step.Status = start.Created ? RestoreStepStatus.Restoring : RestoreStepStatus.Failed;
            step.Error = start.Error;
        }
        return Data.Steps.Any(s => s.Created) ? RestoreJobState.Restoring : RestoreJobState.Failed;
    }

    private RestoreJobState AfterLook(FireContext ctx)
    {
        foreach (var look in RecoveryJson.Read<List<RestoreLook>>(ctx.Activity?.DetailJson) ?? [])
        {
            var step = Data.Steps.FirstOrDefault(s => s.Target == look.Target);
            if (step is null || step.Done) continue;
            step.Status = look.Status;
            step.ActiveAt = look.ActiveAt ?? step.ActiveAt;
            step.VerifiedAt = look.VerifiedAt;
            step.SourceItems = look.SourceItems;
            step.CopyItems = look.CopyItems;
            step.Checks = [.. look.Checks];
            step.Mismatch = look.Mismatch;
            step.Error = look.Error;
            if (look.Status == RestoreStepStatus.Verified)
                Timeline(Line.Of(Emoji(look.Mismatch ? "warning" : "white_check_mark"), " ", Code(step.Target), " is ACTIVE and ", look.Mismatch ? "differs from the source" : "verified",
                    $" after {OperationPlan.Span(step.Rto ?? TimeSpan.Zero)}: ", string.Join("; ", look.Checks), "."));
            else if (look.Status == RestoreStepStatus.Failed)
                Timeline(Line.Of(Emoji("x"), " ", Code(step.Target), ": ", look.Error ?? "the restore failed"), alsoToChannel: true);
        }
        if (Data.Steps.All(s => s.Done))
        {
            if (Data.Purpose == RestorePurpose.Drill && Data.Steps.Any(s => s.Created)) return RestoreJobState.CleaningUp;
            return Data.Steps.All(s => s.Status == RestoreStepStatus.Verified) ? RestoreJobState.Completed : RestoreJobState.Failed;
        }
        return ctx.Now >= Data.GiveUpAt ? GiveUp() : RestoreJobState.Restoring;
    }

    private RestoreJobState GiveUp()
    {
        foreach (var step in Data.Steps.Where(s => !s.Done))
        {
            step.Status = RestoreStepStatus.Failed;
            step.Error = $"not ACTIVE after {OperationPlan.Span(Data.GiveUpAt - Data.CreatedAt)}; the bot stopped waiting";
        }
        Data.Finding = "a restore took longer than the bot waits";
        return Data.Purpose == RestorePurpose.Drill && Data.Steps.Any(s => s.Created) ? RestoreJobState.CleaningUp : RestoreJobState.Failed;
    }

    private void SchedulePoll(FireContext ctx) =>
        SetTimer("poll", RestoreJobTrigger.Poll, ctx.Now + Data.PollInterval, $"poll:{Data.Polls + 1}");
}
