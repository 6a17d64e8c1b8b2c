using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Bot.Workflows.Recovery.Activities;
using Bot.Workflows.Roles;
using Stateless;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Recovery;

/// <summary>
/// An approved session clean-up, run in batches paced to the plan's rate: each batch reads a page from the saved cursor and
/// deletes the old sessions in it, each on condition; the cursor and the counts are saved with every batch, so a restart
/// (even a kill -9) resumes where the last saved batch ended. It can be paused, resumed and cancelled by the requester,
/// an approver or a responder; progress goes to the card and the thread.
/// </summary>
public sealed partial class CleanupJob : WorkflowAggregate<CleanupState, CleanupTrigger, CleanupJobData>
{
    public const string Type = "cleanup";
    /// <summary>How many seconds of deletes at the plan's rate one batch reads at most.</summary>
    public const int BatchSeconds = 5;
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromMinutes(1);

    public static readonly WorkflowDefinition<CleanupJob> Definition = new(Type, id => new CleanupJob(id));

    public CleanupJob(string id) : base(id, CleanupState.Running) { }

    public override string AggregateType => Type;

    public override string? CardChannel => Data.Channel;

    public static CleanupJob Create(string id, CleanupJobData data) => new(id) { Data = data };

    /// <summary>Items one batch reads: the plan's rate for <see cref="BatchSeconds"/>, between 25 and 5,000.</summary>
    public int BatchLimit => Math.Clamp(Data.Plan.RatePerSecond * BatchSeconds, 25, 5000);

    protected override void OnCreated()
    {
        Data.StartedAt = Context.Now;
        AuditDetail("cleanup", Data.Plan.Describe());
        if (Data.ChangeId is { } change) Post(Data.Channel, Line.Of(Emoji("broom"), " Change ", Code(change), " started clean-up ", Code(Id), ": its card follows it."));
        Timeline(Line.Of("Deleting sessions of ", Code(Data.Plan.Table), " created before ", Time(Data.Plan.CutoffTime), $", at most {Data.Plan.RatePerSecond:N0} a second."));
        SetTimer("tick", CleanupTrigger.Tick, Context.Now, "tick:1");
    }

    protected override void Configure(StateMachine<CleanupState, CleanupTrigger> machine)
    {
        var afterBatch = new Stateless.Reflection.DynamicStateInfos();
        afterBatch.Add(CleanupState.Running, "more to read");
        afterBatch.Add(CleanupState.Completed, "the scan is over");
        var afterBatchPaused = new Stateless.Reflection.DynamicStateInfos();
        afterBatchPaused.Add(CleanupState.Paused, "more to read");
        afterBatchPaused.Add(CleanupState.Completed, "the scan is over");

        machine.Configure(CleanupState.Running)
            .PermitDynamic(On(CleanupTrigger.BatchDone), ctx => Record(ctx) ? CleanupState.Completed : CleanupState.Running, possibleDestinationStates: afterBatch)
            .Permit(CleanupTrigger.BatchFailed, CleanupState.Failed)
            .PermitIf(On(CleanupTrigger.Pause), CleanupState.Paused, Actors())
            .PermitIf(On(CleanupTrigger.Cancel), CleanupState.Cancelled, Actors())
            .OnEntryFrom(On(CleanupTrigger.BatchDone), ScheduleNext, "pace the next batch to the rate")
            .OnEntryFrom(On(CleanupTrigger.Resume), ctx =>
            {
                Timeline(Line.Of(ctx.Actor, " resumed the clean-up."));
                if (!Data.BatchInFlight) SetTimer("tick", CleanupTrigger.Tick, ctx.Now, $"tick:{Data.Batches + 1}");
            }, "carry on from the saved cursor");
        Internal(machine.Configure(CleanupState.Running), CleanupTrigger.Tick, ctx => ctx.Expectation == $"tick:{Data.Batches + 1}" && !Data.BatchInFlight, "This batch is out of date.", ctx =>
        {
            Data.Batches++;
            Data.BatchInFlight = true;
            Run("batch", new DeleteOldSessions(Id, Data.Batches, Data.Plan.Table, Data.Plan.Cutoff, Data.Cursor, BatchLimit), CleanupTrigger.BatchDone, CleanupTrigger.BatchFailed);
        });

        machine.Configure(CleanupState.Paused)
            .PermitIf(On(CleanupTrigger.Resume), CleanupState.Running, Actors())
            .PermitIf(On(CleanupTrigger.Cancel), CleanupState.Cancelled, Actors())
            .PermitDynamic(On(CleanupTrigger.BatchDone), ctx => Record(ctx) ? CleanupState.Completed : CleanupState.Paused, possibleDestinationStates: afterBatchPaused)
            .Permit(CleanupTrigger.BatchFailed, CleanupState.Failed)
            .OnEntryFrom(On(CleanupTrigger.Pause), ctx =>
            {
                CancelTimer("tick");
                Data.StoppedBy = ctx.Actor.UserName;
                Timeline(Line.Of(ctx.Actor, $" paused the clean-up after {Data.Deleted:N0} deletions", Data.BatchInFlight ? " (the batch under way finishes first)." : "."));
            }, "stop scheduling batches");

        // A batch under way when the clean-up was cancelled still reports; what it deleted is counted.
        Internal(machine.Configure(CleanupState.Cancelled), CleanupTrigger.BatchDone, _ => Data.BatchInFlight, "No batch is under way.", ctx => Record(ctx));
        machine.Configure(CleanupState.Cancelled).OnEntryFrom(On(CleanupTrigger.Cancel), ctx =>
        {
            CancelTimer("tick");
            Data.StoppedBy = ctx.Actor.UserName;
            Data.FinishedAt = ctx.Now;
            Timeline(Line.Of(ctx.Actor, $" cancelled the clean-up: {Data.Deleted:N0} sessions were deleted", Data.BatchInFlight ? " (plus what the batch under way deletes)" : "",
                ", the rest are kept."), alsoToChannel: true);
        }, "stop; keep what was deleted");

        machine.Configure(CleanupState.Completed).OnEntry(() =>
        {
            Data.FinishedAt = Context.Now;
            Timeline(Line.Of(Emoji("white_check_mark"), " ", Strong("Clean-up done: "), $"{Data.Deleted:N0} sessions of ", Code(Data.Plan.Table), " created before ", Time(Data.Plan.CutoffTime),
                $" deleted in {Data.Batches} batches ({OperationPlan.Span(Context.Now - Data.StartedAt)}); {Data.Skipped:N0} kept because they were gone already or no longer older than the cut-off; {Data.Scanned:N0} items read."),
                alsoToChannel: true);
            AuditDetail("deleted", Data.Deleted.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Notify(Data.RequesterId, Line.Of("Clean-up ", Code(Id), $" finished: {Data.Deleted:N0} sessions deleted."));
        }, "report what it deleted");

        machine.Configure(CleanupState.Failed).OnEntry(() =>
        {
            var ctx = Context;
            Data.BatchInFlight = false;
            Data.FinishedAt = ctx.Now;
            Data.Finding = ctx.Activity?.Message ?? "it failed";
            CancelTimer("tick");
            Timeline(Line.Of(Emoji("x"), " ", Strong("Clean-up stopped: "), Data.Finding, $". {Data.Deleted:N0} sessions were deleted before that; request it again to carry on."), alsoToChannel: true);
            Notify(Data.RequesterId, Line.Of("Clean-up ", Code(Id), " stopped: ", Data.Finding));
        }, "report what was deleted and why it stopped");
    }

    private Tuple<Func<FireContext, bool>, string>[] Actors() =>
    [
        Guard(ctx => ctx.Source == TriggerSource.Person, "Only a person pauses, resumes or cancels a clean-up."),
        Guard(ctx => ctx.Actor.Kind != ActorKind.ShellUser || Data.Rehearsal, "The local shell cannot steer a production clean-up."),
        Guard(ctx => ctx.Actor.UserId == Data.RequesterId || ctx.Actor.Has(Role.Approver) || ctx.Actor.Has(Role.Responder),
            "Pausing, resuming or cancelling a clean-up needs to be its requester, an approver or a responder."),
    ];

    /// <summary>Adds a batch's result; true when the scan is over.</summary>
    private bool Record(FireContext ctx)
    {
        Data.BatchInFlight = false;
        var batch = RecoveryJson.Read<CleanupBatch>(ctx.Activity?.DetailJson);
        if (batch is null) return Data.ScanFinished;
        Data.Deleted += batch.Deleted;
        Data.Skipped += batch.Skipped;
        Data.Scanned += batch.Scanned;
        Data.Cursor = batch.Cursor;
        Data.ScanFinished = batch.Cursor is null;
        return Data.ScanFinished;
    }

    private void ScheduleNext(FireContext ctx)
    {
        if (Data.LastProgressAt is null || ctx.Now - Data.LastProgressAt >= ProgressEvery)
        {
            Data.LastProgressAt = ctx.Now;
            Data.ProgressLines++;
            Timeline(Line.Of($"Progress: {Data.Deleted:N0} of about {Data.Plan.Found:N0} deleted ({Percent()} %), {Data.Scanned:N0} items read in {Data.Batches} batches."));
        }
        var last = RecoveryJson.Read<CleanupBatch>(ctx.Activity?.DetailJson);
        var pace = TimeSpan.FromSeconds((last?.Deleted + last?.Skipped ?? 0) / (double)Math.Max(1, Data.Plan.RatePerSecond));
        SetTimer("tick", CleanupTrigger.Tick, ctx.Now + pace, $"tick:{Data.Batches + 1}");
    }

    private int Percent() => Data.Plan.Found <= 0 ? 100 : (int)Math.Min(100, Data.Deleted * 100 / Data.Plan.Found);

    protected override Card DescribeCard()
    {
        var buttons = new List<CardButton>();
        if (CurrentState == CleanupState.Running)
        {
            buttons.Add(Button("Pause", CleanupTrigger.Pause));
            buttons.Add(Button("Cancel", CleanupTrigger.Cancel, ButtonStyle.Danger, confirm: "Stop this clean-up for good? What was deleted stays deleted."));
        }
        else if (CurrentState == CleanupState.Paused)
        {
            buttons.Add(Button("Resume", CleanupTrigger.Resume, ButtonStyle.Primary));
            buttons.Add(Button("Cancel", CleanupTrigger.Cancel, ButtonStyle.Danger, confirm: "Stop this clean-up for good? What was deleted stays deleted."));
        }
        return new Card
        {
            Title = $"Clean-up {Id}: old sessions of {Data.Plan.Table}",
            Tone = CurrentState switch
            {
                CleanupState.Completed => CardTone.Good,
                CleanupState.Failed => CardTone.Bad,
                CleanupState.Paused or CleanupState.Cancelled => CardTone.Warning,
                _ => CardTone.Working,
            },
            Status = CurrentState switch
            {
                CleanupState.Running => Line.Of($"Deleting: about {Percent() / 10 * 10} % done"),
                CleanupState.Paused => Line.Of($"Paused by @{Data.StoppedBy}"),
                CleanupState.Cancelled => Line.Of($"Cancelled by @{Data.StoppedBy}"),
                CleanupState.Completed => Line.Of("Completed at ", Time(Data.FinishedAt ?? Data.StartedAt)),
                _ => Line.Of("Stopped: ", Data.Finding ?? ""),
            },
            Fields =
            [
                new CardField("Requested by", Line.Of(User(Data.RequesterId, Data.RequesterName))),
                new CardField("Cut-off", Line.Of(Time(Data.Plan.CutoffTime), $" ({Data.Plan.OlderThanDays} days)")),
                new CardField("Rate", Line.Of($"{Data.Plan.RatePerSecond:N0} a second")),
                .. Data.ChangeId is { } change ? [new CardField("Change", Line.Of(Code(change)))] : Array.Empty<CardField>(),
            ],
            Details = CurrentState is CleanupState.Running or CleanupState.Paused ? [] : [Line.Of($"{Data.Deleted:N0} deleted, {Data.Skipped:N0} kept, {Data.Scanned:N0} read in {Data.Batches} batches")],
            Buttons = buttons,
        };
    }
}
