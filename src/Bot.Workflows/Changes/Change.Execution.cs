using Bot.Workflows.Changes.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Stateless;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Changes;

/// <summary>Running a change and how it ends: completed, not verified, rolled back, failed, rejected, expired, cancelled.</summary>
public sealed partial class Change
{
    private void ConfigureExecution(StateMachine<ChangeState, ChangeTrigger> machine)
    {
        var applied = new Stateless.Reflection.DynamicStateInfos();
        applied.Add(ChangeState.Verifying, "an alias moved: watch the errors; a rotation started: follow its stages");
        applied.Add(ChangeState.Completed, "nothing to watch");

        machine.Configure(ChangeState.Executing)
            .PermitDynamic(On(ChangeTrigger.Applied), _ => Data.Spec.IsFollowed ? ChangeState.Verifying : ChangeState.Completed, possibleDestinationStates: applied)
            .Permit(ChangeTrigger.ApplyFailed, ChangeState.Failed)
            .OnEntryFrom(On(ChangeTrigger.PreflightPassed), ctx =>
            {
                KeepRolesNow(ctx);
                var preflight = Result<PreflightResult>(ctx);
                Data.BaselineErrors = preflight?.BaselineErrors ?? 0;
                Data.BaselineInvocations = preflight?.BaselineInvocations ?? 0;
                Timeline(Line.Of("The live state matches the approval", NeedsApproval && !Data.BreakGlass ? " and every approver still holds their role" : "", ". Running: ", Data.Spec.Describe()));
                Run("apply", ApplyActivity(preflight?.AliasRevisionId), ChangeTrigger.Applied, ChangeTrigger.ApplyFailed);
            }, "run the change");

        ConfigureWatch(machine);

        machine.Configure(ChangeState.Completed)
            .OnEntry(t =>
            {
                if (t.Trigger == ChangeTrigger.RollbackFailed) { BackFromOutdatedRollback(); return; }
                var ctx = Context;
                Data.FinishedAt = ctx.Now;
                Data.Sealed = null;
                if (Data.Spec.RotatesSecret) Timeline(RotatedLine(), alsoToChannel: true);
                else if (ctx.Activity is { } result && !Data.Spec.MovesAlias) Timeline(Line.Of("Done: ", result.Message));
                if (Data.Spec.MovesAlias)
                {
                    Timeline(Line.Of("Verified: ", Data.ErrorsSinceDeploy.ToString(System.Globalization.CultureInfo.InvariantCulture), " error(s) in ",
                        Data.InvocationsSinceDeploy.ToString(System.Globalization.CultureInfo.InvariantCulture), " invocation(s) through ", Code(Data.Spec.Alias), " in the watch window",
                        OneClickRollbackNote(), "."));
                    if (OffersOneClickRollback) SetTimer("rollback-window", ChangeTrigger.CloseRollbackWindow, Data.RollbackUntil!.Value, "rollback-window");
                }
                Notify(Data.RequesterId, Line.Of("Your change ", Code(Id), " completed: ", Data.Spec.Describe()));
            }, "report; keep the one-click rollback of a deploy for a while");
        ConfigureOneClickRollback(machine.Configure(ChangeState.Completed));

        machine.Configure(ChangeState.NotVerified)
            .OnEntry(t =>
            {
                if (t.Trigger == ChangeTrigger.RollbackFailed) { BackFromOutdatedRollback(); return; }
                var ctx = Context;
                Data.FinishedAt = ctx.Now;
                Data.Sealed = null;
                AuditDetail("notVerified", Data.NotVerifiedReason);
                Timeline(Line.Of(Strong("NOT VERIFIED: "), Data.NotVerifiedReason ?? "", ". ", Code(Data.Spec.Alias), " stays on version ", Code(Data.Spec.ToVersion!),
                    OffersOneClickRollback ? Line.Of("; ", Strong("Roll back now"), " stays on the card until ", Time(Data.RollbackUntil!.Value), ".") : Line.Of("."),
                    " Look at the function's errors before trusting it."), alsoToChannel: true);
                if (OffersOneClickRollback) SetTimer("rollback-window", ChangeTrigger.CloseRollbackWindow, Data.RollbackUntil!.Value, "rollback-window");
                var message = Line.Of("Change ", Code(Id), " (", Data.Spec.Describe(), ") ended NOT VERIFIED: ", Data.NotVerifiedReason ?? "", ". Check the function; the card has Roll back now.");
                foreach (var person in Data.Approvals.Select(a => a.UserId).Prepend(Data.RequesterId).Distinct()) Notify(person, message);
            }, "say it is not verified: tell the requester and the approvers; keep Roll back now");
        ConfigureOneClickRollback(machine.Configure(ChangeState.NotVerified));

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
            Data.Finding = ctx.Activity is { Succeeded: false } failure ? failure.Message : Data.RotationFailure ?? DigestProblem() ?? ctx.Activity?.Message ?? "it failed";
            Data.Sealed = null;
            CancelTimer("watch");
            CancelTimer("rollback-window");
            var what = ctx.Activity is { Succeeded: false, Code: { } code } ? $" ({code})" : Data.Spec.RotatesSecret && Data.AppliedAt is not null ? " (rotation)" : "";
            Timeline(Line.Of(Strong("Failed"), what, ": ", Data.Finding), alsoToChannel: true);
            Notify(Data.RequesterId, Line.Of("Your change ", Code(Id), " failed: ", Data.Finding));
        }, "report what was found");

        machine.Configure(ChangeState.Rejected).OnEntryFrom(On(ChangeTrigger.Reject), ctx =>
        {
            Data.DecidedById = ctx.Actor.UserId;
            Data.DecidedByName = ctx.Actor.UserName;
            Data.RejectReason = Bounded(ctx.Argument("input")?.Trim() ?? "", MaxCommentLength);
            Data.FinishedAt = ctx.Now;
            Data.Sealed = null;
            CancelTimer("expiry");
            AuditDetail("comment", Data.RejectReason);
            Timeline(Line.Of(ctx.Actor, " rejected this change: ", Data.RejectReason));
            Notify(Data.RequesterId, Line.Of("Your change ", Code(Id), " was rejected by ", ctx.Actor, ": ", Data.RejectReason));
        }, "record who and why; tell the requester");

        machine.Configure(ChangeState.Expired).OnEntry(t =>
        {
            if (t.Trigger == ChangeTrigger.PreflightPassed) KeepRolesNow(Context);
            Data.FinishedAt = Context.Now;
            Data.Sealed = null;
            Timeline(Line.Of("Expired without the approvals it needed (", string.Join(" and ", ApprovalPolicy.Missing(Data, Data.Approvals)), ")."));
            Notify(Data.RequesterId, Line.Of("Your change ", Code(Id), " expired without approval; request it again if it is still needed."));
        }, "report");

        machine.Configure(ChangeState.Cancelled).OnEntry(() =>
        {
            Data.FinishedAt = Context.Now;
            Data.Sealed = null;
            CancelTimer("expiry");
            Timeline(Line.Of(Context.Actor, " cancelled this change."));
        }, "report");

        foreach (var state in AfterStart) ConfigureReview(machine.Configure(state));
    }

    private Bot.Workflows.Activities.Activity ApplyActivity(string? aliasRevision) => Data.Spec.Kind switch
    {
        _ when Data.Spec.Operation is { } operation => new Recovery.Activities.ApplyOperation(Id, operation, Data.Channel, Data.RequesterId, Data.RequesterName, Data.Rehearsal),
        ChangeKind.Deploy or ChangeKind.Rollback => new MoveAlias(Data.Spec.Function, Data.Spec.Alias, Data.Spec.FromVersion!, Data.Spec.ToVersion!) { ExpectedRevisionId = aliasRevision },
        ChangeKind.ReservedConcurrency => new SetConcurrency(Data.Spec.Function, null, Data.Spec.ConcurrencyFrom, Data.Spec.ConcurrencyTo),
        ChangeKind.ProvisionedConcurrency => new SetConcurrency(Data.Spec.Function, Data.Spec.Alias, Data.Spec.ConcurrencyFrom, Data.Spec.ConcurrencyTo),
        ChangeKind.SecretRotation => StartRotationActivity(),
        _ => new UpdateConfiguration(Data.Spec.Function, Data.Spec.SettingsRevisionId!, Data.Spec.Edits, Id, Data.Spec.MemoryTo, Data.Spec.TimeoutTo),
    };
}
