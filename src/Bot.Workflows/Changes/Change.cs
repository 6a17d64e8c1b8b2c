using System.Text.Json;
using Bot.Workflows.Changes.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Bot.Workflows.Roles;
using Stateless;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Changes;

/// <summary>
/// A production change under the two-person rule: requested by one person, approved by another (by two for a Major
/// change), bound to the digest of exactly what it does, checked against the live state before it runs, watched after
/// a deploy and rolled back by the alias when errors cross the threshold. Staging changes pass through the same machine
/// without an approval. Every step is a transition: saved, audited, shown on the card.
/// </summary>
public sealed partial class Change : WorkflowAggregate<ChangeState, ChangeTrigger, ChangeData>
{
    public const string Type = "change";
    public static readonly TimeSpan BaselineWindow = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan ReviewReminderEvery = TimeSpan.FromHours(4);
    public const int MaxReviewReminders = 6;

    /// <summary>The states after a change started running (a break-glass change can be reviewed in any of them).</summary>
    private static readonly ChangeState[] AfterStart =
        [ChangeState.Executing, ChangeState.Verifying, ChangeState.RollingBack, ChangeState.Completed, ChangeState.RolledBack, ChangeState.Failed];

    public static readonly WorkflowDefinition<Change> Definition = new(Type, id => new Change(id));

    public Change(string id) : base(id, ChangeState.PendingApproval) { }

    public override string AggregateType => Type;

    public override string? CardChannel => Data.Channel;

    /// <summary>A new change, not yet saved: the spec is sealed here and its digest taken.</summary>
    public static Change Request(string id, ChangeData data)
    {
        var change = new Change(id);
        data.Digest = data.Spec.Digest();
        change.Data = data;
        return change;
    }

    protected override void Configure(StateMachine<ChangeState, ChangeTrigger> machine)
    {
        var approveDestinations = new Stateless.Reflection.DynamicStateInfos();
        approveDestinations.Add(ChangeState.PendingApproval, "more approvals needed");
        approveDestinations.Add(ChangeState.Approved, "every approval given");

        machine.Configure(ChangeState.PendingApproval)
            .PermitDynamicIf(On(ChangeTrigger.Approve), ctx => ApprovalPolicy.Missing(Data, [.. Data.Approvals, ApprovalOf(ctx)]).Count == 0 ? ChangeState.Approved : ChangeState.PendingApproval,
                approveDestinations,
                Guard(ctx => ctx.Source == TriggerSource.Person, "Only a person can approve a change."),
                Guard(ctx => ctx.Now < Data.ExpiresAt, "This change has expired; request it again."),
                Guard(ctx => ctx.Actor.UserId != Data.RequesterId, "You requested this change, so someone else must approve it (two-person rule)."),
                Guard(ctx => ctx.Actor.Kind != ActorKind.ShellUser || Data.Rehearsal, "Approvals from the local shell count only against the sandbox account, never in production."),
                Guard(ctx => ctx.Actor.Has(Role.Approver), "Approving a change needs the approver role; /sb whoami shows yours."),
                Guard(ctx => Data.Approvals.All(a => a.UserId != ctx.Actor.UserId), "You already approved this change; it needs someone else."),
                Guard(ctx => ApprovalPolicy.WouldCount(Data, ApprovalOf(ctx)), NotCovering))
            .PermitIf(On(ChangeTrigger.Reject), ChangeState.Rejected,
                Guard(ctx => ctx.Source == TriggerSource.Person, "Only a person can reject a change."),
                Guard(ctx => ctx.Actor.UserId != Data.RequesterId, "You requested this change; use Cancel to withdraw it."),
                Guard(ctx => ctx.Actor.Has(Role.Approver), "Rejecting a change needs the approver role."),
                Guard(ctx => !string.IsNullOrWhiteSpace(ctx.Argument("input")), "Rejecting needs a reason."))
            .PermitIf(On(ChangeTrigger.Cancel), ChangeState.Cancelled,
                Guard(ctx => ctx.Source == TriggerSource.Person && ctx.Actor.UserId == Data.RequesterId, "Only the requester can cancel a change; others can reject it."))
            .PermitIf(On(ChangeTrigger.Expire), ChangeState.Expired, Guard(ctx => ctx.Expectation == "expiry", "Only the expiry timer expires a change."))
            .PermitIf(On(ChangeTrigger.AutoApprove), ChangeState.Approved,
                Guard(ctx => ctx.Source != TriggerSource.Person, "Only the bot itself starts a change without approval."),
                Guard(_ => Data.Spec.Environment != "prod", "Production changes need a second person's approval."))
            .PermitIf(On(ChangeTrigger.BreakGlass), ChangeState.Approved,
                Guard(ctx => ctx.Source == TriggerSource.Person && ctx.Actor.UserId == Data.RequesterId, "Only the requester can break the glass on their own change."),
                Guard(_ => Data.Category == ChangeCategory.Emergency, "Only an Emergency change can run without a second person."),
                Guard(_ => Data.IncidentId is not null && Data.IncidentVerifiedOpen, "Breaking the glass needs --incident naming an open PagerDuty incident."),
                Guard(_ => !string.IsNullOrWhiteSpace(Data.Reason), "Breaking the glass needs a reason."),
                Guard(ctx => ctx.Actor.Kind != ActorKind.ShellUser || Data.Rehearsal, "The local shell cannot break the glass in production."),
                Guard(ctx => ctx.Actor.Has(Role.Approver) || ctx.Actor.Has(Role.Responder), "Breaking the glass needs the approver or responder role."))
            .OnEntryFrom(On(ChangeTrigger.Approve), RecordPartialApproval, "record the approval; say what is still needed");

        machine.Configure(ChangeState.Approved)
            .Permit(ChangeTrigger.PreflightPassed, ChangeState.Executing)
            .Permit(ChangeTrigger.PreflightFailed, ChangeState.Failed)
            .OnEntryFrom(On(ChangeTrigger.Approve), ctx => StartApproved(ctx, "approved"), "record the approval, check the live state")
            .OnEntryFrom(On(ChangeTrigger.AutoApprove), ctx => StartApproved(ctx, "started without approval (not production)"), "check the live state")
            .OnEntryFrom(On(ChangeTrigger.BreakGlass), StartBreakGlass, "run alone: loud, unreviewed until an approver reviews it");

        ConfigureExecution(machine);
    }

    private const string NotCovering = "Your approval would not cover what this change still needs.";

    /// <summary>Guard descriptions are fixed text; this one also names what is still needed right now.</summary>
    protected override IReadOnlyList<string> DescribeRefusal(ChangeTrigger trigger, IReadOnlyCollection<string> unmetGuards) =>
        base.DescribeRefusal(trigger, unmetGuards)
            .Select(r => r == NotCovering ? $"Your approval would not cover what is still needed: {string.Join(" and ", ApprovalPolicy.Missing(Data, Data.Approvals))}." : r)
            .ToList();

    private ApprovalRecord ApprovalOf(FireContext ctx) =>
        new(ctx.Actor.UserId, ctx.Actor.UserName, ctx.Actor.Roles.Order(StringComparer.Ordinal).ToList(), ctx.Now, Data.Digest);

    protected override void OnCreated()
    {
        Data.RequestedAt = Context.Now;
        SetTimer("expiry", ChangeTrigger.Expire, Data.ExpiresAt, "expiry");
        AuditDetail("change", Data.Spec.Describe());
        AuditDetail("digest", Data.Digest);
        AuditDetail("category", Data.Category.ToString());
        Timeline(Line.Of(User(Data.RequesterId, Data.RequesterName), " requested this change: ", Data.Reason.Length > 0 ? Data.Reason : "(no reason given)"));
    }

    private void RecordPartialApproval(FireContext ctx)
    {
        var approval = ApprovalOf(ctx);
        Data.Approvals.Add(approval);
        AuditDetail("digest", approval.Digest);
        Timeline(Line.Of(ctx.Actor, " approved; still needed: ", string.Join(" and ", ApprovalPolicy.Missing(Data, Data.Approvals)), "."));
    }

    private void StartApproved(FireContext ctx, string how)
    {
        if (ctx.Source == TriggerSource.Person)
        {
            var approval = ApprovalOf(ctx);
            Data.Approvals.Add(approval);
            AuditDetail("digest", approval.Digest);
            Timeline(Line.Of(ctx.Actor, " approved. Checking the live state before it runs."));
        }
        else
        {
            Timeline(Line.Of($"This {Data.Spec.Environment} change {how}. Checking the live state before it runs."));
        }
        CancelTimer("expiry");
        RunPreflight(ctx);
    }

    private void StartBreakGlass(FireContext ctx)
    {
        Data.BreakGlass = true;
        Data.Unreviewed = true;
        CancelTimer("expiry");
        AuditDetail("breakGlass", $"incident {Data.IncidentId}");
        Timeline(Line.Of(Strong("BREAK-GLASS: "), ctx.Actor, " is running this Emergency change alone for incident ", Code(Data.IncidentId!),
            ". It stays unreviewed until someone with the approver role reviews it."), alsoToChannel: true);
        SetTimer("review-reminder", ChangeTrigger.RemindReview, ctx.Now + ReviewReminderEvery, "review:1");
        RunPreflight(ctx);
    }

    private void RunPreflight(FireContext ctx) =>
        Run("preflight", Data.Spec.RotatesSecret ? new PreflightRotation(Data.Spec)
                : new PreflightChange(Data.Spec, Data.Category == ChangeCategory.Emergency ? null : Data.StagingFunction, BaselineWindow, ctx.Now),
            ChangeTrigger.PreflightPassed, ChangeTrigger.PreflightFailed);

    /// <summary>The result an activity reported, as <typeparamref name="T"/>.</summary>
    private static T? Result<T>(FireContext ctx) where T : class =>
        ctx.Activity?.DetailJson is { } json ? JsonSerializer.Deserialize<T>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web)) : null;
}
