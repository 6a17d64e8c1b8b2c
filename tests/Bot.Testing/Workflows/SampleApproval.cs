using Bot.Testing;
using Bot.Workflows.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using Bot.Workflows.Roles;
using Stateless;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Testing.Workflows;

public enum ApprovalState { Pending, Applying, Applied, ApplyFailed, Rejected, Expired }
public enum ApprovalTrigger { Approve, Reject, Remind, Expire, Applied, ApplyFailed }

public sealed class ApprovalData
{
    public string RequesterId { get; set; } = "";
    public string RequesterName { get; set; } = "";
    public string Channel { get; set; } = "";
    public string Title { get; set; } = "";
    public string? DecidedBy { get; set; }
    public string? Reason { get; set; }
    public string? Result { get; set; }
    public int RemindersSent { get; set; }
}

/// <summary>
/// The sample aggregate that proves the engine's capabilities (the real Change and Incident use the same ones): a
/// card with Approve / Reject (Reject asks for a reason) edited in place on every transition, a requester who can
/// never approve, approvers who need the approver role, a reminder timer that re-arms itself and an expiry timer,
/// and an activity (<see cref="ApplyTitle"/>) that runs after approval and reports back.
/// </summary>
public sealed class SampleApproval : WorkflowAggregate<ApprovalState, ApprovalTrigger, ApprovalData>
{
    public const string Type = "sample-approval";
    public static readonly TimeSpan ReminderAfter = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ExpiresAfter = TimeSpan.FromHours(1);
    public const int MaxReminders = 2;

    public static readonly WorkflowDefinition<SampleApproval> Definition = new(Type, id => new SampleApproval(id));

    public SampleApproval(string id) : base(id, ApprovalState.Pending) { }

    public static SampleApproval New(string id, string channel, string title, WorkflowActor requester)
    {
        var approval = new SampleApproval(id);
        approval.Data.Channel = channel;
        approval.Data.Title = title;
        approval.Data.RequesterId = requester.UserId;
        approval.Data.RequesterName = requester.UserName;
        return approval;
    }

    public override string AggregateType => Type;

    public override string? CardChannel => Data.Channel;

    protected override void Configure(StateMachine<ApprovalState, ApprovalTrigger> machine)
    {
        machine.Configure(ApprovalState.Pending)
            .PermitIf(On(ApprovalTrigger.Approve), ApprovalState.Applying,
                Guard(ctx => ctx.Actor.UserId != Data.RequesterId, "The requester cannot approve their own request; ask someone else."),
                Guard(ctx => ctx.Actor.Has(Role.Approver), "Approving needs the approver role."))
            .PermitIf(On(ApprovalTrigger.Reject), ApprovalState.Rejected, ctx => ctx.Source == TriggerSource.Person, "Only a person can reject.")
            .PermitReentryIf(On(ApprovalTrigger.Remind), ctx => ctx.Expectation == $"reminder:{Data.RemindersSent + 1}",
                "This reminder is out of date.")
            .PermitIf(On(ApprovalTrigger.Expire), ApprovalState.Expired, ctx => ctx.Expectation == "expiry",
                "Only the expiry timer can expire a request.")
            .OnEntryFrom(On(ApprovalTrigger.Remind), ctx =>
            {
                Data.RemindersSent++;
                Timeline(Line.Of($"Reminder {Data.RemindersSent}: ", Code(Data.Title), " still needs an approver."));
                if (Data.RemindersSent < MaxReminders)
                    SetTimer("reminder", ApprovalTrigger.Remind, ctx.Now + ReminderAfter, $"reminder:{Data.RemindersSent + 1}");
            }, "post a reminder, re-arm the reminder timer");

        machine.Configure(ApprovalState.Applying)
            .Permit(ApprovalTrigger.Applied, ApprovalState.Applied)
            .Permit(ApprovalTrigger.ApplyFailed, ApprovalState.ApplyFailed)
            .OnEntryFrom(On(ApprovalTrigger.Approve), ctx =>
            {
                Decide(ctx, "approved");
                Run("apply", new ApplyTitle(Id, Data.Title), ApprovalTrigger.Applied, ApprovalTrigger.ApplyFailed);
            }, "announce, cancel timers, run the activity");
        machine.Configure(ApprovalState.Applied)
            .OnEntry(() =>
            {
                Data.Result = Context.Activity?.Message;
                Timeline(Line.Of("Applied: ", Data.Result ?? ""));
                Notify(Data.RequesterId, Line.Of(Code(Data.Title), " was applied."));
            }, "record the result, tell the requester");
        machine.Configure(ApprovalState.ApplyFailed)
            .OnEntry(() =>
            {
                Data.Result = Context.Activity?.Message;
                Timeline(Line.Of("Could not apply: ", Data.Result ?? ""));
            }, "record the failure");
        machine.Configure(ApprovalState.Rejected)
            .OnEntryFrom(On(ApprovalTrigger.Reject), ctx =>
            {
                Data.Reason = ctx.Argument("input");
                Decide(ctx, "rejected");
            }, "announce, cancel timers");
        machine.Configure(ApprovalState.Expired)
            .OnEntry(() =>
            {
                CancelTimer("reminder");
                Timeline(Line.Of(Code(Data.Title), " expired without approval."));
            }, "announce expiry");
    }

    protected override void OnCreated()
    {
        SetTimer("reminder", ApprovalTrigger.Remind, Context.Now + ReminderAfter, "reminder:1");
        SetTimer("expiry", ApprovalTrigger.Expire, Context.Now + ExpiresAfter, "expiry");
        AuditDetail("title", Data.Title);
    }

    protected override Card DescribeCard() => new()
    {
        Title = "Approval request",
        Tone = CurrentState switch
        {
            ApprovalState.Pending => CardTone.Waiting,
            ApprovalState.Applying => CardTone.Working,
            ApprovalState.Applied => CardTone.Good,
            _ => CardTone.Bad,
        },
        Status = CurrentState == ApprovalState.Pending
            ? Line.Of(User(Data.RequesterId, Data.RequesterName), " asks for approval: ", Code(Data.Title))
            : Line.Of(Code(Data.Title), $" — {CurrentState}", Data.DecidedBy is null ? "" : $" by @{Data.DecidedBy}"),
        Fields = [new CardField("Requested by", Line.Of(User(Data.RequesterId, Data.RequesterName)))],
        Footer = Data.Reason is null ? [] : [Line.Of("Reason: ", Data.Reason)],
        Buttons = CurrentState == ApprovalState.Pending
            ? [Button("Approve", ApprovalTrigger.Approve, ButtonStyle.Primary), Button("Reject", ApprovalTrigger.Reject, ButtonStyle.Danger, askFor: "a reason")]
            : [],
    };

    private void Decide(FireContext ctx, string verb)
    {
        Data.DecidedBy = ctx.Actor.UserName;
        CancelTimer("reminder");
        CancelTimer("expiry");
        Timeline(Line.Of($"{verb} by ", ctx.Actor));
    }
}

/// <summary>The sample's activity: "apply" the approved title somewhere (tests give it a world to change).</summary>
public sealed record ApplyTitle(string RequestId, string Title) : Activity
{
    public override string Describe() => $"apply {Title}";
}
