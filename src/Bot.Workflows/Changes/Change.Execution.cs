using Bot.Workflows.Changes.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Bot.Workflows.Roles;
using Stateless;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Changes;

/// <summary>Running, watching, rolling back and finishing a change, and the review of a break-glass change.</summary>
public sealed partial class Change
{
    private void ConfigureExecution(StateMachine<ChangeState, ChangeTrigger> machine)
    {
        var applied = new Stateless.Reflection.DynamicStateInfos();
        applied.Add(ChangeState.Verifying, "an alias moved: watch the errors; a rotation started: follow its stages");
        applied.Add(ChangeState.Completed, "nothing to watch");
        var checkedDestinations = new Stateless.Reflection.DynamicStateInfos();
        checkedDestinations.Add(ChangeState.RollingBack, "errors above the threshold");
        checkedDestinations.Add(ChangeState.Completed, "the window ended healthy");
        checkedDestinations.Add(ChangeState.Verifying, "keep watching");
        checkedDestinations.Add(ChangeState.Failed, "the rotation failed or timed out");
        var uncheckedDestinations = new Stateless.Reflection.DynamicStateInfos();
        uncheckedDestinations.Add(ChangeState.Completed, "the window ended");
        uncheckedDestinations.Add(ChangeState.Verifying, "keep watching");
        uncheckedDestinations.Add(ChangeState.Failed, "a rotation not confirmed in time");

        machine.Configure(ChangeState.Executing)
            .PermitDynamic(On(ChangeTrigger.Applied), _ => Data.Spec.IsFollowed ? ChangeState.Verifying : ChangeState.Completed, possibleDestinationStates: applied)
            .Permit(ChangeTrigger.ApplyFailed, ChangeState.Failed)
            .OnEntryFrom(On(ChangeTrigger.PreflightPassed), ctx =>
            {
                Data.BaselineErrors = Result<PreflightResult>(ctx)?.BaselineErrors ?? 0;
                Timeline(Line.Of("The live state matches the approval. Running: ", Data.Spec.Describe()));
                Run("apply", ApplyActivity(), ChangeTrigger.Applied, ChangeTrigger.ApplyFailed);
            }, "run the change");

        machine.Configure(ChangeState.Verifying)
            .PermitDynamic(On(ChangeTrigger.Checked), ctx => Data.Spec.RotatesSecret ? AfterRotationCheck(ctx) : AfterCheck(ctx), possibleDestinationStates: checkedDestinations)
            .PermitDynamic(On(ChangeTrigger.CheckFailed), ctx => Data.Spec.RotatesSecret ? AfterRotationCheckFailed(ctx)
                : ctx.Now >= Data.VerifyUntil ? ChangeState.Completed : ChangeState.Verifying, possibleDestinationStates: uncheckedDestinations)
            .PermitIf(On(ChangeTrigger.RollBack), ChangeState.RollingBack, RollBackGuards())
            .OnEntryFrom(On(ChangeTrigger.Applied), ctx =>
            {
                if (Data.Spec.RotatesSecret)
                {
                    StartFollowingRotation(ctx);
                    return;
                }
                Data.AppliedAt = ctx.Now;
                Data.VerifyUntil = ctx.Now + Data.VerifyWindow;
                Data.RollbackUntil = ctx.Now + Data.RollbackWindow;
                Data.SealedValues.Clear();
                if (ctx.Activity is { FoundDone: true } found)
                    Timeline(Line.Of("The bot was interrupted after moving the alias; on restart it found ", found.Message, " and did not move it again."));
                Timeline(Line.Of(Code(Data.Spec.Alias), " of ", Code(Data.Spec.Function), " now points at version ", Code(Data.Spec.ToVersion!),
                    ". Watching its errors until ", Time(Data.VerifyUntil.Value), "; it rolls back by itself above the threshold."));
                ArmWatch(ctx);
            }, "watch the errors")
            .OnEntryFrom(On(ChangeTrigger.Checked), ctx =>
            {
                if (Data.Spec.RotatesSecret) ArmRotationCheck(ctx);
                else ArmWatch(ctx);
            }, "keep watching")
            .OnEntryFrom(On(ChangeTrigger.CheckFailed), ctx =>
            {
                Timeline(Line.Of(Data.Spec.RotatesSecret ? "Could not read the rotation's state this time: " : "Could not read the errors this time: ",
                    ctx.Activity?.Message ?? "unknown failure", ". Still watching."));
                if (Data.Spec.RotatesSecret) ArmRotationCheck(ctx);
                else ArmWatch(ctx);
            }, "keep watching");
        Internal(machine.Configure(ChangeState.Verifying), ChangeTrigger.Watch, ctx => ctx.Expectation == $"watch:{Data.Checks + 1}", "This check is out of date.", ctx =>
        {
            if (Data.Spec.RotatesSecret)
            {
                CheckRotationNow(ctx);
                return;
            }
            Data.Checks++;
            Run("check", new CheckDeployHealth(Data.Spec.Function, Data.Spec.Alias, Data.Spec.ToVersion!, Data.AppliedAt!.Value, ctx.Now), ChangeTrigger.Checked, ChangeTrigger.CheckFailed);
        });

        machine.Configure(ChangeState.RollingBack)
            .Permit(ChangeTrigger.RolledBack, ChangeState.RolledBack)
            .Permit(ChangeTrigger.RollbackFailed, ChangeState.Failed)
            .OnEntry(() =>
            {
                CancelTimer("watch");
                CancelTimer("rollback-window");
                var ctx = Context;
                if (ctx.Source == TriggerSource.Person)
                {
                    Data.RolledBackBy = ctx.Actor.UserName;
                    Data.RollbackReason = ctx.Argument("input") is { Length: > 0 } why ? why : "rolled back by hand";
                    Timeline(Line.Of(ctx.Actor, " is rolling back to version ", Code(Data.Spec.FromVersion!), ": ", Data.RollbackReason), alsoToChannel: true);
                }
                else
                {
                    Timeline(Line.Of(Strong("Rolling back"), " to version ", Code(Data.Spec.FromVersion!), ": ", Data.RollbackReason ?? "errors above the threshold"), alsoToChannel: true);
                }
                Run("rollback", new MoveAlias(Data.Spec.Function, Data.Spec.Alias, Data.Spec.ToVersion!, Data.Spec.FromVersion!), ChangeTrigger.RolledBack, ChangeTrigger.RollbackFailed);
            }, "move the alias back to the approved previous version");

        machine.Configure(ChangeState.Completed)
            .PermitIf(On(ChangeTrigger.RollBack), ChangeState.RollingBack, [.. RollBackGuards(),
                Guard(ctx => Data.RollbackUntil is { } until && ctx.Now < until, "The one-click rollback of this change has ended; request a rollback change with /sb rollback.")])
            .OnEntry(() =>
            {
                var ctx = Context;
                Data.FinishedAt = ctx.Now;
                Data.SealedValues.Clear();
                if (Data.Spec.RotatesSecret) Timeline(RotatedLine(), alsoToChannel: true);
                else if (ctx.Activity is { } result && !Data.Spec.MovesAlias) Timeline(Line.Of("Done: ", result.Message));
                if (Data.Spec.MovesAlias)
                {
                    Timeline(Line.Of("Verified: ", Data.ErrorsSinceDeploy.ToString(System.Globalization.CultureInfo.InvariantCulture), " error(s) in the watch window. One-click rollback stays available until ", Time(Data.RollbackUntil!.Value), "."));
                    SetTimer("rollback-window", ChangeTrigger.CloseRollbackWindow, Data.RollbackUntil!.Value, "rollback-window");
                }
                Notify(Data.RequesterId, Line.Of("Your change ", Code(Id), " completed: ", Data.Spec.Describe()));
            }, "report; keep the one-click rollback for a while");
        Internal(machine.Configure(ChangeState.Completed), ChangeTrigger.CloseRollbackWindow, ctx => ctx.Expectation == "rollback-window", "Only the timer closes the rollback window.",
            _ => Data.RollbackUntil = null);

        machine.Configure(ChangeState.RolledBack).OnEntry(() =>
        {
            Data.FinishedAt = Context.Now;
            Timeline(Line.Of(Code(Data.Spec.Alias), " is back at version ", Code(Data.Spec.FromVersion!), "."), alsoToChannel: true);
            Notify(Data.RequesterId, Line.Of("Your change ", Code(Id), " was rolled back: ", Data.RollbackReason ?? ""));
        }, "report");

        machine.Configure(ChangeState.Failed).OnEntry(() =>
        {
            var ctx = Context;
            Data.FinishedAt = ctx.Now;
            Data.Finding = Data.RotationFailure ?? ctx.Activity?.Message ?? "it failed";
            Data.SealedValues.Clear();
            CancelTimer("watch");
            CancelTimer("rollback-window");
            var what = ctx.Activity?.Code is { } code ? $" ({code})" : Data.Spec.RotatesSecret && Data.AppliedAt is not null ? " (rotation)" : "";
            Timeline(Line.Of(Strong("Failed"), what, ": ", Data.Finding), alsoToChannel: true);
            Notify(Data.RequesterId, Line.Of("Your change ", Code(Id), " failed: ", Data.Finding));
        }, "report what was found");

        machine.Configure(ChangeState.Rejected).OnEntryFrom(On(ChangeTrigger.Reject), ctx =>
        {
            Data.DecidedById = ctx.Actor.UserId;
            Data.DecidedByName = ctx.Actor.UserName;
            Data.RejectReason = ctx.Argument("input");
            Data.FinishedAt = ctx.Now;
            Data.SealedValues.Clear();
            CancelTimer("expiry");
            Timeline(Line.Of(ctx.Actor, " rejected this change: ", Data.RejectReason ?? ""));
            Notify(Data.RequesterId, Line.Of("Your change ", Code(Id), " was rejected by ", ctx.Actor, ": ", Data.RejectReason ?? ""));
        }, "record who and why; tell the requester");

        machine.Configure(ChangeState.Expired).OnEntry(() =>
        {
            Data.FinishedAt = Context.Now;
            Data.SealedValues.Clear();
            Timeline(Line.Of("Expired without the approvals it needed (", string.Join(" and ", ApprovalPolicy.Missing(Data, Data.Approvals)), ")."));
            Notify(Data.RequesterId, Line.Of("Your change ", Code(Id), " expired without approval; request it again if it is still needed."));
        }, "report");

        machine.Configure(ChangeState.Cancelled).OnEntry(() =>
        {
            Data.FinishedAt = Context.Now;
            Data.SealedValues.Clear();
            CancelTimer("expiry");
            Timeline(Line.Of(Context.Actor, " cancelled this change."));
        }, "report");

        foreach (var state in AfterStart) ConfigureReview(machine.Configure(state));
    }

    private Tuple<Func<FireContext, bool>, string>[] RollBackGuards() =>
    [
        Guard(ctx => ctx.Source == TriggerSource.Person, "Only a person rolls back by hand."),
        Guard(_ => Data.Spec.MovesAlias, "Only a deploy or rollback can be rolled back by moving the alias."),
        Guard(ctx => ctx.Actor.Kind != ActorKind.ShellUser || Data.Rehearsal, "The local shell cannot roll back production."),
        Guard(ctx => ctx.Actor.UserId == Data.RequesterId || ctx.Actor.Has(Role.Approver) || ctx.Actor.Has(Role.Responder),
            "Rolling back needs to be the requester, an approver or an incident responder."),
    ];

    private void ConfigureReview(StateMachine<ChangeState, ChangeTrigger>.StateConfiguration state)
    {
        Internal(state, ChangeTrigger.Review,
            ctx => Data.Unreviewed && ctx.Source == TriggerSource.Person && ctx.Actor.UserId != Data.RequesterId && ctx.Actor.Has(Role.Approver)
                   && (ctx.Actor.Kind != ActorKind.ShellUser || Data.Rehearsal),
            "A break-glass change is reviewed once, by someone else holding the approver role.",
            ctx =>
            {
                Data.Unreviewed = false;
                Data.ReviewedBy = ctx.Actor.UserName;
                CancelTimer("review-reminder");
                Timeline(Line.Of(ctx.Actor, " reviewed this break-glass change."));
            });
        Internal(state, ChangeTrigger.RemindReview, ctx => Data.Unreviewed && ctx.Expectation == $"review:{Data.ReviewReminders + 1}", "This reminder is out of date.", ctx =>
        {
            Data.ReviewReminders++;
            Timeline(Line.Of("Reminder: this break-glass change is still unreviewed. Someone with the approver role, please review it."), alsoToChannel: true);
            if (Data.ReviewReminders < MaxReviewReminders)
                SetTimer("review-reminder", ChangeTrigger.RemindReview, ctx.Now + ReviewReminderEvery, $"review:{Data.ReviewReminders + 1}");
        });
    }

    private Bot.Workflows.Activities.Activity ApplyActivity() => Data.Spec.Kind switch
    {
        ChangeKind.Deploy or ChangeKind.Rollback => new MoveAlias(Data.Spec.Function, Data.Spec.Alias, Data.Spec.FromVersion!, Data.Spec.ToVersion!),
        ChangeKind.ReservedConcurrency => new SetConcurrency(Data.Spec.Function, null, Data.Spec.ConcurrencyFrom, Data.Spec.ConcurrencyTo),
        ChangeKind.ProvisionedConcurrency => new SetConcurrency(Data.Spec.Function, Data.Spec.Alias, Data.Spec.ConcurrencyFrom, Data.Spec.ConcurrencyTo),
        ChangeKind.SecretRotation => StartRotationActivity(),
        _ => new UpdateConfiguration(Data.Spec.Function, Data.Spec.SettingsRevisionId!, Data.Spec.Edits, new Dictionary<string, string>(Data.SealedValues),
            Data.Spec.MemoryTo, Data.Spec.TimeoutTo),
    };

    private void ArmWatch(FireContext ctx)
    {
        if (ctx.Now >= Data.VerifyUntil) return;
        var next = ctx.Now + Data.VerifyInterval;
        SetTimer("watch", ChangeTrigger.Watch, next < Data.VerifyUntil!.Value ? next : Data.VerifyUntil.Value, $"watch:{Data.Checks + 1}");
    }

    /// <summary>Errors allowed so far: the pre-deploy rate over the time watched, plus the threshold.</summary>
    public long AllowedErrors(DateTimeOffset now)
    {
        var watched = (now - (Data.AppliedAt ?? now)).TotalMinutes;
        var baselineRate = Data.BaselineErrors / BaselineWindow.TotalMinutes;
        return (long)Math.Ceiling(baselineRate * Math.Max(watched, 1)) + Data.ErrorThreshold;
    }

    private ChangeState AfterCheck(FireContext ctx)
    {
        var errors = Result<HealthReading>(ctx)?.Errors ?? 0;
        Data.ErrorsSinceDeploy = errors;
        var allowed = AllowedErrors(ctx.Now);
        if (errors > allowed)
        {
            Data.RollbackReason = $"{errors} error(s) of version {Data.Spec.ToVersion} since the deploy, above the {allowed} allowed (baseline {Data.BaselineErrors} in the 10 minutes before, threshold {Data.ErrorThreshold})";
            return ChangeState.RollingBack;
        }
        return ctx.Now >= Data.VerifyUntil ? ChangeState.Completed : ChangeState.Verifying;
    }
}
