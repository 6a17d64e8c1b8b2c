using System.Globalization;
using Bot.Workflows.Changes.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Bot.Workflows.Roles;
using Stateless;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Changes;

/// <summary>
/// After an alias moved: the watch (error rates through the alias against the pre-deploy rate, over whole metric periods
/// the metrics have published, and the rollback alarms), which fails closed — an unreadable or too quiet window ends
/// <c>NotVerified</c>, never "Verified" — and the rollbacks: automatic, by hand while watching, and the one-click
/// rollback of a completed deploy, offered only while its version is still the one live.
/// </summary>
public sealed partial class Change
{
    /// <summary>CloudWatch's period for Lambda metrics; the watch counts whole ones (<see cref="ChangeData.MetricPeriod"/>).</summary>
    public static readonly TimeSpan LambdaMetricPeriod = TimeSpan.FromMinutes(1);
    /// <summary>The fewest whole periods a watch counts before it may call a change healthy.</summary>
    public const int MinWatchedPeriods = 3;

    private void ConfigureWatch(StateMachine<ChangeState, ChangeTrigger> machine)
    {
        var checkedDestinations = new Stateless.Reflection.DynamicStateInfos();
        checkedDestinations.Add(ChangeState.RollingBack, "errors above the pre-deploy rate, or a rollback alarm");
        checkedDestinations.Add(ChangeState.NotVerified, "too few invocations to tell, or a rollback change still failing");
        checkedDestinations.Add(ChangeState.Completed, "the window ended healthy");
        checkedDestinations.Add(ChangeState.Verifying, "keep watching");
        checkedDestinations.Add(ChangeState.Failed, "the rotation failed or timed out");
        var uncheckedDestinations = new Stateless.Reflection.DynamicStateInfos();
        uncheckedDestinations.Add(ChangeState.NotVerified, "the window ended without a reading");
        uncheckedDestinations.Add(ChangeState.Verifying, "keep watching");
        uncheckedDestinations.Add(ChangeState.Failed, "a rotation not confirmed in time");

        machine.Configure(ChangeState.Verifying)
            .PermitDynamic(On(ChangeTrigger.Checked), ctx => Data.Spec.RotatesSecret ? AfterRotationCheck(ctx) : AfterCheck(ctx), possibleDestinationStates: checkedDestinations)
            .PermitDynamic(On(ChangeTrigger.CheckFailed), ctx =>
            {
                if (Data.Spec.RotatesSecret) return AfterRotationCheckFailed(ctx);
                if (ctx.Now < Data.VerifyUntil) return ChangeState.Verifying;
                Data.NotVerifiedReason = $"the error metrics could not be read at the end of the watch ({ctx.Activity?.Message ?? "unknown failure"})";
                return ChangeState.NotVerified;
            }, possibleDestinationStates: uncheckedDestinations)
            .PermitIf(On(ChangeTrigger.RollBack), ChangeState.RollingBack, RollBackGuards())
            .OnEntryFrom(On(ChangeTrigger.Applied), ctx =>
            {
                if (Data.Spec.RotatesSecret)
                {
                    StartFollowingRotation(ctx);
                    return;
                }
                Data.AppliedAt = ctx.Now;
                // Whole periods after the move, at least three, and time for the metrics to be published.
                var firstWholePeriod = CeilingToPeriod(ctx.Now, Data.MetricPeriod);
                var shortest = Data.MetricPeriod * MinWatchedPeriods;
                Data.VerifyUntil = firstWholePeriod + (Data.VerifyWindow > shortest ? Data.VerifyWindow : shortest) + Data.MetricLag;
                Data.RollbackUntil = Data.Spec.Kind == ChangeKind.Deploy ? ctx.Now + Data.RollbackWindow : null;
                Data.Sealed = null;
                if (ctx.Activity is { FoundDone: true } found)
                    Timeline(Line.Of("The bot was interrupted after moving the alias; on restart it found ", found.Message, " and did not move it again."));
                Timeline(Line.Of(Code(Data.Spec.Alias), " of ", Code(Data.Spec.Function), " now points at version ", Code(Data.Spec.ToVersion!),
                    Data.Spec.HadWeights ? " alone (its weighted routing was cleared)" : "",
                    ". Watching its error rate until ", Time(Data.VerifyUntil.Value),
                    Data.Spec.Kind == ChangeKind.Deploy ? "; it rolls back by itself above the pre-deploy rate." : "; a rollback is not undone by itself."));
                Run("close-earlier-rollbacks", new CloseEarlierRollbacks(Data.Spec.Function, Data.Spec.Alias, Id, Data.Spec.ToVersion!), ChangeTrigger.EarlierRollbacksClosed, ChangeTrigger.EarlierRollbacksClosed);
                ArmWatch(ctx);
            }, "watch the error rate (a rotation: follow its stages); close the one-click rollback of earlier deploys")
            .OnEntryFrom(On(ChangeTrigger.Checked), ctx =>
            {
                if (Data.Spec.RotatesSecret) ArmRotationCheck(ctx);
                else ArmWatch(ctx);
            }, "keep watching")
            .OnEntryFrom(On(ChangeTrigger.CheckFailed), ctx =>
            {
                if (Data.Spec.RotatesSecret)
                {
                    Timeline(Line.Of("Could not read the rotation's state this time: ", ctx.Activity?.Message ?? "unknown failure", ". Still following it."));
                    ArmRotationCheck(ctx);
                    return;
                }
                Timeline(Line.Of("Could not read the errors this time: ", ctx.Activity?.Message ?? "unknown failure", ". Still watching; without a reading at the end it ends not verified."));
                ArmWatch(ctx);
            }, "keep watching");
        Internal(machine.Configure(ChangeState.Verifying), ChangeTrigger.Watch, ctx => ctx.Expectation == $"watch:{Data.Checks + 1}", "This check is out of date.", ctx =>
        {
            if (Data.Spec.RotatesSecret)
            {
                CheckRotationNow(ctx);
                return;
            }
            Data.Checks++;
            Run("check", new CheckDeployHealth(Data.Spec.Function, Data.Spec.Alias, CeilingToPeriod(Data.AppliedAt!.Value, Data.MetricPeriod), FloorToPeriod(ctx.Now - Data.MetricLag, Data.MetricPeriod),
                Data.RollbackAlarms, Data.AppliedAt!.Value), ChangeTrigger.Checked, ChangeTrigger.CheckFailed);
        });
        Internal(machine.Configure(ChangeState.Verifying), ChangeTrigger.EarlierRollbacksClosed, ctx => ctx.Source == TriggerSource.Activity, "Only the bot reports this.", _ => { });

        machine.Configure(ChangeState.RollingBack)
            .Permit(ChangeTrigger.RolledBack, ChangeState.RolledBack)
            .PermitDynamic(On(ChangeTrigger.RollbackFailed), ctx =>
                ctx.Activity?.Code == "AliasMoved" && Data.RollbackStartedFrom is ChangeState.Completed or ChangeState.NotVerified ? Data.RollbackStartedFrom.Value : ChangeState.Failed,
                possibleDestinationStates: RollbackFailedDestinations())
            .OnEntry(t =>
            {
                CancelTimer("watch");
                CancelTimer("rollback-window");
                var ctx = Context;
                Data.RollbackStartedFrom = t.Source;
                if (ctx.Source == TriggerSource.Person)
                {
                    Data.RolledBackBy = ctx.Actor.UserName;
                    Data.RollbackReason = ctx.Argument("input") is { Length: > 0 } why ? Bounded(why.Trim(), MaxCommentLength) : "rolled back by hand";
                    Timeline(Line.Of(ctx.Actor, " is rolling back to version ", Code(Data.Spec.FromVersion!), ": ", Data.RollbackReason), alsoToChannel: true);
                }
                else
                {
                    Timeline(Line.Of(Strong("Rolling back"), " to version ", Code(Data.Spec.FromVersion!), ": ", Data.RollbackReason ?? "errors above the threshold"), alsoToChannel: true);
                }
                Run("rollback", new MoveAlias(Data.Spec.Function, Data.Spec.Alias, Data.Spec.ToVersion!, Data.Spec.FromVersion!), ChangeTrigger.RolledBack, ChangeTrigger.RollbackFailed);
            }, "move the alias back to the approved previous version");
    }

    private static Stateless.Reflection.DynamicStateInfos RollbackFailedDestinations()
    {
        var destinations = new Stateless.Reflection.DynamicStateInfos();
        destinations.Add(ChangeState.Failed, "the alias could not be moved back");
        destinations.Add(ChangeState.Completed, "the alias had moved on: the deploy stays completed");
        destinations.Add(ChangeState.NotVerified, "the alias had moved on: the deploy stays not verified");
        return destinations;
    }

    /// <summary>A completed (or not verified) deploy: one click moves the alias back while the deploy's version is live; a later change closes it.</summary>
    private void ConfigureOneClickRollback(StateMachine<ChangeState, ChangeTrigger>.StateConfiguration state)
    {
        state.PermitIf(On(ChangeTrigger.RollBack), ChangeState.RollingBack, [.. RollBackGuards(),
            Guard(_ => Data.SupersededBy is null, "A later change moved the alias on; rolling this one back would undo it. Request a rollback change with /sb rollback."),
            // Said only when nothing above already refuses (a rollback change, one moved on from, has no window to end).
            Guard(ctx => Data.Spec.Kind != ChangeKind.Deploy || Data.SupersededBy is not null || (Data.RollbackUntil is { } until && ctx.Now < until),
                "The one-click rollback of this change has ended; request a rollback change with /sb rollback.")]);
        Internal(state, ChangeTrigger.CloseRollbackWindow, ctx => ctx.Expectation == "rollback-window", "Only the timer closes the rollback window.", _ => Data.RollbackUntil = null);
        Internal(state, ChangeTrigger.Superseded, ctx => ctx.Source != TriggerSource.Person && Data.RollbackUntil is not null, "Only the bot closes the one-click rollback when the alias moves on.", ctx =>
        {
            var by = ctx.Argument("change") ?? "another change";
            var version = ctx.Argument("version") ?? "?";
            Data.SupersededBy = by;
            Data.RollbackUntil = null;
            CancelTimer("rollback-window");
            AuditDetail("supersededBy", by);
            Timeline(Line.Of(Code(Data.Spec.Alias), " moved on to version ", Code(version), " with change ", Code(by), "; this deploy's one-click rollback is closed (it would undo that change)."));
        });
    }

    /// <summary>A click on a rollback that had become outdated: the alias had moved on, so nothing moved and the deploy stays as it was.</summary>
    private void BackFromOutdatedRollback()
    {
        var ctx = Context;
        Data.RollbackUntil = null;
        Data.RolledBackBy = null;
        Data.RollbackReason = null;
        AuditDetail("outdatedRollback", ctx.Activity?.Message);
        Timeline(Line.Of(Strong("Rollback not done: "), ctx.Activity?.Message ?? "the alias moved on", " This change stays ", CurrentState.ToString(), "; its one-click rollback is closed."), alsoToChannel: true);
        // The transition before this one is the click that asked for the rollback.
        if (Last is { Trigger: nameof(ChangeTrigger.RollBack) } click) Notify(click.ActorId, Line.Of("Your rollback of ", Code(Id), " did not run: ", ctx.Activity?.Message ?? "the alias moved on", " Nothing was changed."));
    }

    private Tuple<Func<FireContext, bool>, string>[] RollBackGuards() =>
    [
        Guard(ctx => ctx.Source == TriggerSource.Person, "Only a person rolls back by hand."),
        Guard(_ => Data.Spec.Kind == ChangeKind.Deploy,
            "A rollback change has no one-click undo: going forward again is a deploy, with its staging check and approval (/sb deploy)."),
        Guard(ctx => ctx.Actor.Kind != ActorKind.ShellUser || Data.Rehearsal, "The local shell cannot roll back production."),
        Guard(ctx => ctx.Actor.UserId == Data.RequesterId || ctx.Actor.Has(Role.Approver) || ctx.Actor.Has(Role.Responder),
            "Rolling back needs to be the requester, an approver or an incident responder."),
    ];

    /// <summary>True while the card offers the one-click rollback of a deploy.</summary>
    private bool OffersOneClickRollback => Data.Spec.Kind == ChangeKind.Deploy && Data.RollbackUntil is not null && Data.SupersededBy is null;

    private Line OneClickRollbackNote() => OffersOneClickRollback
        ? Line.Of(". One-click rollback stays available until ", Time(Data.RollbackUntil!.Value), " while version ", Code(Data.Spec.ToVersion!), " is live")
        : Line.Empty;

    private void ArmWatch(FireContext ctx)
    {
        if (ctx.Now >= Data.VerifyUntil) return;
        var next = ctx.Now + Data.VerifyInterval;
        SetTimer("watch", ChangeTrigger.Watch, next < Data.VerifyUntil!.Value ? next : Data.VerifyUntil.Value, $"watch:{Data.Checks + 1}");
    }

    /// <summary>Errors allowed among <paramref name="invocations"/>: as many as the pre-deploy error rate explains, plus the threshold.</summary>
    public long AllowedErrors(long invocations)
    {
        var baselineRate = Data.BaselineInvocations > 0 ? (double)Data.BaselineErrors / Data.BaselineInvocations : 0;
        return (long)Math.Ceiling(baselineRate * invocations) + Data.ErrorThreshold;
    }

    private ChangeState AfterCheck(FireContext ctx)
    {
        var reading = Result<HealthReading>(ctx) ?? new HealthReading(0, 0, []);
        Data.ErrorsSinceDeploy = reading.Errors;
        Data.InvocationsSinceDeploy = reading.Invocations;
        var rollsBack = Data.Spec.Kind == ChangeKind.Deploy;
        if (reading.AlarmsInAlarm.Count > 0)
        {
            var alarms = string.Join(", ", reading.AlarmsInAlarm);
            if (rollsBack)
            {
                Data.RollbackReason = $"the rollback alarm {alarms} entered ALARM during the watch";
                return ChangeState.RollingBack;
            }
            Data.NotVerifiedReason = $"the alarm {alarms} entered ALARM after the rollback; nothing was moved back (a rollback is not undone by itself)";
            return ChangeState.NotVerified;
        }
        var allowed = AllowedErrors(reading.Invocations);
        if (reading.Errors > allowed)
        {
            var what = $"{N(reading.Errors)} error(s) in {N(reading.Invocations)} invocation(s) through {Data.Spec.Alias} since the move, above the {N(allowed)} allowed " +
                       $"(pre-deploy rate {Rate(Data.BaselineErrors, Data.BaselineInvocations)} over the 10 minutes before, plus {N(Data.ErrorThreshold)})";
            if (rollsBack)
            {
                Data.RollbackReason = what;
                return ChangeState.RollingBack;
            }
            Data.NotVerifiedReason = what + "; nothing was moved back (a rollback is not undone by itself)";
            return ChangeState.NotVerified;
        }
        if (ctx.Now < Data.VerifyUntil) return ChangeState.Verifying;
        if (reading.Invocations < Data.MinInvocations)
        {
            Data.NotVerifiedReason = $"only {N(reading.Invocations)} invocation(s) through {Data.Spec.Alias} in the watch window (at least {N(Data.MinInvocations)} are needed to call it healthy; Changes__MinInvocations)";
            return ChangeState.NotVerified;
        }
        return ChangeState.Completed;
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Rate(long errors, long invocations) => invocations == 0 ? "none measured" : ChangeSpec.Share((double)errors / invocations);

    public static DateTimeOffset FloorToPeriod(DateTimeOffset at, TimeSpan period) => new(at.UtcTicks - at.UtcTicks % period.Ticks, TimeSpan.Zero);

    public static DateTimeOffset CeilingToPeriod(DateTimeOffset at, TimeSpan period) => at.UtcTicks % period.Ticks == 0 ? at.ToUniversalTime() : FloorToPeriod(at, period) + period;
}
