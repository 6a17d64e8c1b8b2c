using System.Text.Json;
using Bot.Workflows.Changes.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Bot.Workflows.Roles;
using Stateless;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Changes;

/// <summary>
/// A production change under the two-person rule: requested by one person, approved by others (each required role filled
/// by a different person), bound to the digest of exactly what it does, checked against the live state — and the
/// approvers' roles re-read — before it runs, watched after a deploy and rolled back by the alias when errors cross the
/// threshold. Staging changes pass through the same machine without an approval. Every step is a transition: saved,
/// audited, shown on the card.
/// </summary>
public sealed partial class Change : WorkflowAggregate<ChangeState, ChangeTrigger, ChangeData>
{
    public const string Type = "change";
    public static readonly TimeSpan BaselineWindow = TimeSpan.FromMinutes(10);
    public const int MaxCommentLength = 300;

    /// <summary>The states after a change started running (a break-glass change can be reviewed in any of them).</summary>
    private static readonly ChangeState[] AfterStart =
        [ChangeState.Executing, ChangeState.Verifying, ChangeState.RollingBack, ChangeState.Completed, ChangeState.NotVerified, ChangeState.RolledBack, ChangeState.Failed];

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

    /// <summary>Not ended: the change may still run, or is running or being watched (one per function at a time).</summary>
    public bool InFlight => CurrentState is ChangeState.PendingApproval or ChangeState.Approved or ChangeState.Executing or ChangeState.Verifying or ChangeState.RollingBack;

    protected override void Configure(StateMachine<ChangeState, ChangeTrigger> machine)
    {
        var approveDestinations = new Stateless.Reflection.DynamicStateInfos();
        approveDestinations.Add(ChangeState.PendingApproval, "more approvals needed");
        approveDestinations.Add(ChangeState.Approved, "every seat filled");

        machine.Configure(ChangeState.PendingApproval)
            .PermitDynamicIf(On(ChangeTrigger.Approve), ctx => ApprovalPolicy.Assess(Data, [.. Data.Approvals, ApprovalOf(ctx)]).Complete ? ChangeState.Approved : ChangeState.PendingApproval,
                approveDestinations,
                Guard(ctx => ctx.Source == TriggerSource.Person, "Only a person can approve a change."),
                Guard(ctx => ctx.Now < Data.ExpiresAt, "This change has expired; request it again."),
                Guard(ctx => ctx.Actor.UserId != Data.RequesterId, "You requested this change, so someone else must approve it (two-person rule)."),
                Guard(ctx => ctx.Actor.Kind != ActorKind.ShellUser || Data.Rehearsal, "Approvals from the local shell count only against the sandbox account, never in production."),
                Guard(ctx => ctx.Actor.Has(Role.Approver), "Approving a change needs the approver role; /sb whoami shows yours."),
                Guard(ctx => Data.Approvals.All(a => a.UserId != ctx.Actor.UserId), "You already approved this change; it needs someone else."),
                // Asked only of an approval that could count at all (the rules above give the reason otherwise).
                Guard(ctx => ctx.Actor.UserId == Data.RequesterId || !ctx.Actor.Has(Role.Approver) || Data.Approvals.Any(a => a.UserId == ctx.Actor.UserId)
                             || ApprovalPolicy.WouldCount(Data, ApprovalOf(ctx)), NotCovering))
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
            .PermitIf(On(ChangeTrigger.BreakGlassCleared), ChangeState.Approved,
                Guard(ctx => ctx.Source == TriggerSource.Activity && Data.BreakGlassCheckSince is not null, "Only the pager's answer to a break-glass request runs a change alone."),
                Guard(ctx => ctx.Now < Data.ExpiresAt, "This change expired while the incident was being checked."))
            .OnEntryFrom(On(ChangeTrigger.Approve), RecordPartialApproval, "record the approval; say what is still needed")
            .OnEntryFrom(On(ChangeTrigger.PreflightPassed), ReturnForApprovals, "an approver lost a role: say who is still needed");
        ConfigureBreakGlassRequest(machine.Configure(ChangeState.PendingApproval));
        ConfigureApproverReminders(machine.Configure(ChangeState.PendingApproval));

        var preflightDestinations = new Stateless.Reflection.DynamicStateInfos();
        preflightDestinations.Add(ChangeState.Executing, "the live state matches and every seat is still filled");
        preflightDestinations.Add(ChangeState.PendingApproval, "an approver no longer holds the role");
        preflightDestinations.Add(ChangeState.Expired, "an approver no longer holds the role, and the change has expired");
        preflightDestinations.Add(ChangeState.Failed, "the stored change no longer matches its digest");

        machine.Configure(ChangeState.Approved)
            .PermitDynamic(On(ChangeTrigger.PreflightPassed), AfterPreflight, possibleDestinationStates: preflightDestinations)
            .Permit(ChangeTrigger.PreflightFailed, ChangeState.Failed)
            .OnEntryFrom(On(ChangeTrigger.Approve), ctx => StartApproved(ctx, "approved"), "record the approval, check the live state and the approvers' roles")
            .OnEntryFrom(On(ChangeTrigger.AutoApprove), ctx => StartApproved(ctx, "started without approval (not production)"), "check the live state")
            .OnEntryFrom(On(ChangeTrigger.BreakGlassCleared), StartBreakGlass, "run alone: loud, unreviewed until an approver reviews it");

        ConfigureExecution(machine);
    }

    private const string NotCovering = "Your approval would not cover what this change still needs.";

    /// <summary>Guard descriptions are fixed text; this one also names what is still needed right now.</summary>
    protected override IReadOnlyList<string> DescribeRefusal(ChangeTrigger trigger, IReadOnlyCollection<string> unmetGuards) =>
        base.DescribeRefusal(trigger, unmetGuards)
            .Select(r => r switch
            {
                NotCovering => $"Your approval would not cover what is still needed: {string.Join(" and ", ApprovalPolicy.Missing(Data, Data.Approvals))}. One person fills one role.",
                BreakGlassRulesUnmet => FirstUnmetBreakGlassRule(Context) ?? r,
                _ => r,
            })
            .ToList();

    private ApprovalRecord ApprovalOf(FireContext ctx) =>
        new(ctx.Actor.UserId, ctx.Actor.UserName, ctx.Actor.Roles.Order(StringComparer.Ordinal).ToList(), ctx.Now, Data.Digest)
        {
            Comment = ctx.Argument("input") is { } text && !string.IsNullOrWhiteSpace(text) ? Bounded(text.Trim(), MaxCommentLength) : null,
        };

    protected override void OnCreated()
    {
        Data.RequestedAt = Context.Now;
        SetTimer("expiry", ChangeTrigger.Expire, Data.ExpiresAt, "expiry");
        if (NeedsApproval) ScheduleApproverReminders(Context.Now);
        AuditDetail("change", Data.Spec.Describe());
        AuditDetail("digest", Data.Digest);
        AuditDetail("category", Data.Category.ToString());
        if (Data.FreezeNote is { } freeze) AuditDetail("freeze", freeze);
        Timeline(Line.Of(User(Data.RequesterId, Data.RequesterName), " requested this change: ", Data.Reason.Length > 0 ? Data.Reason : "(no reason given)"));
    }

    /// <summary>A production change waits for people; elsewhere the bot starts it at once.</summary>
    private bool NeedsApproval => Data.Spec.Environment == "prod";

    private void RecordPartialApproval(FireContext ctx)
    {
        var approval = RecordApproval(ctx);
        Timeline(Line.Of(ctx.Actor, " approved", Said(approval), "; still needed: ", string.Join(" and ", ApprovalPolicy.Missing(Data, Data.Approvals)), "."));
    }

    private ApprovalRecord RecordApproval(FireContext ctx)
    {
        var approval = ApprovalOf(ctx);
        Data.Approvals.Add(approval);
        AuditDetail("digest", approval.Digest);
        AuditDetail("roles", string.Join(",", approval.Roles));
        if (approval.Comment is { } comment) AuditDetail("comment", comment);
        return approval;
    }

    private static string Said(ApprovalRecord approval) => approval.Comment is { } comment ? $" (“{comment}”)" : "";

    private void StartApproved(FireContext ctx, string how)
    {
        if (ctx.Source == TriggerSource.Person)
        {
            var approval = RecordApproval(ctx);
            Timeline(Line.Of(ctx.Actor, " approved", Said(approval), ". Checking the live state and the approvers' roles before it runs."));
        }
        else
        {
            Timeline(Line.Of($"This {Data.Spec.Environment} change {how}. Checking the live state before it runs."));
        }
        CancelTimer("expiry");
        RunPreflight(ctx);
    }

    private void RunPreflight(FireContext ctx) =>
        Run("preflight", Data.Spec.Operation is { } operation
                ? new Recovery.Activities.PreflightOperation(operation, Data.Spec, Data.Digest, Data.Category, Approvers())
                : Data.Spec.RotatesSecret ? new PreflightRotation(Data.Spec, Data.Digest, Data.Category, Approvers())
                : new PreflightChange(Data.Spec, Data.Digest, Data.Category, Data.Category == ChangeCategory.Emergency ? null : Data.StagingFunction, BaselineWindow, ctx.Now, Approvers()),
            ChangeTrigger.PreflightPassed, ChangeTrigger.PreflightFailed);

    /// <summary>Whose roles the preflight reads again: every approver (none under break-glass, which runs on the requester's word).</summary>
    private List<ApproverRef> Approvers() => Data.BreakGlass ? [] : Data.Approvals.Select(a => new ApproverRef(a.UserId, a.Name)).ToList();

    /// <summary>Where a passed preflight leads: the digest recomputed, and every seat still filled by the roles held now.</summary>
    private ChangeState AfterPreflight(FireContext ctx)
    {
        if (DigestProblem() is not null) return ChangeState.Failed;
        if (Data.BreakGlass || !NeedsApproval) return ChangeState.Executing;
        if (ApprovalPolicy.Assess(Data, WithRolesNow(ctx)).Complete) return ChangeState.Executing;
        return ctx.Now < Data.ExpiresAt ? ChangeState.PendingApproval : ChangeState.Expired;
    }

    /// <summary>Why the stored change does not match what was approved (null when it does): its spec is hashed again.</summary>
    private string? DigestProblem()
    {
        var now = Data.Spec.Digest();
        if (now != Data.Digest) return $"the stored change no longer matches its digest ({Data.Digest[..12]} at the request, {now[..12]} now); it was altered after the request. Nothing was changed.";
        if (Data.Approvals.FirstOrDefault(a => a.Digest != Data.Digest) is { } other)
            return $"@{other.Name}'s approval is for digest {other.Digest[..Math.Min(12, other.Digest.Length)]}, not this change's {Data.Digest[..12]}. Nothing was changed.";
        return null;
    }

    /// <summary>The approvals with the roles the preflight read for each approver just now (an approver it could not find holds none).</summary>
    private List<ApprovalRecord> WithRolesNow(FireContext ctx)
    {
        var roles = Result<PreflightResult>(ctx)?.ApproverRoles;
        if (roles is null) return Data.Approvals;
        return Data.Approvals.Select(a =>
        {
            var now = roles.TryGetValue(a.UserId, out var held) ? held : [];
            return a with { Roles = now, LostRoles = [.. a.LostRoles.Union(a.Roles.Except(now))] };
        }).ToList();
    }

    /// <summary>Keeps the roles re-read before running on the approvals (the card and the audit trail show them).</summary>
    private void KeepRolesNow(FireContext ctx)
    {
        var before = Data.Approvals;
        Data.Approvals = WithRolesNow(ctx);
        foreach (var (was, now) in before.Zip(Data.Approvals))
        {
            var lost = was.Roles.Except(now.Roles).ToList();
            if (lost.Count > 0) AuditDetail($"rolesLost:{now.Name}", string.Join(",", lost));
        }
    }

    private void ReturnForApprovals(FireContext ctx)
    {
        KeepRolesNow(ctx);
        var assessment = ApprovalPolicy.Assess(Data, Data.Approvals);
        var lapsed = assessment.Idle.Select(i => $"@{i.Approval.Name} ({i.Why})");
        Timeline(Line.Of(Strong("Not run: "), "the approvers' roles were read again before running, and an approval no longer counts: ", string.Join(", ", lapsed),
            ". Still needed: ", string.Join(" and ", assessment.Empty.Select(e => e.InWords())), ". Nothing was changed."), alsoToChannel: true);
        SetTimer("expiry", ChangeTrigger.Expire, Data.ExpiresAt, "expiry");
        Notify(Data.RequesterId, Line.Of("Your change ", Code(Id), " did not run: an approver no longer holds the role it needs. It waits for ",
            string.Join(" and ", assessment.Empty.Select(e => e.InWords())), " until ", Time(Data.ExpiresAt), "."));
    }

    /// <summary>The result an activity reported, as <typeparamref name="T"/>.</summary>
    private static T? Result<T>(FireContext ctx) where T : class =>
        ctx.Activity?.DetailJson is { } json ? JsonSerializer.Deserialize<T>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web)) : null;

    private static string Bounded(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
