using Bot.Workflows.Engine;
using Stateless;

namespace Bot.Tests.Workflows;

public enum ApprovalState { Pending, Approved, Rejected, Expired }
public enum ApprovalTrigger { Approve, Reject, Remind, Expire }

public sealed class ApprovalData
{
    public string RequesterId { get; set; } = "";
    public string RequesterName { get; set; } = "";
    public string Channel { get; set; } = "";
    public string Title { get; set; } = "";
    public string? DecidedBy { get; set; }
    public int RemindersSent { get; set; }
}

/// <summary>
/// The sample aggregate that proves the engine (the real Change and Incident come later): a request that
/// someone other than the requester approves, with a reminder timer that re-arms itself and an expiry timer.
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

    public string RequestKey => $"{Type}/{Id}/request";

    protected override void Configure(StateMachine<ApprovalState, ApprovalTrigger> machine)
    {
        machine.Configure(ApprovalState.Pending)
            .PermitIf(On(ApprovalTrigger.Approve), ApprovalState.Approved, ctx => ctx.Actor.UserId != Data.RequesterId,
                "The requester cannot approve their own request; ask someone else.")
            .Permit(ApprovalTrigger.Reject, ApprovalState.Rejected)
            .PermitReentryIf(On(ApprovalTrigger.Remind), ctx => ctx.Expectation == $"reminder:{Data.RemindersSent + 1}",
                "This reminder is out of date.")
            .PermitIf(On(ApprovalTrigger.Expire), ApprovalState.Expired, ctx => ctx.Expectation == "expiry",
                "Only the expiry timer can expire a request.")
            .OnEntryFrom(On(ApprovalTrigger.Remind), ctx =>
            {
                Data.RemindersSent++;
                Send(new OutboxDraft { Channel = Data.Channel, Text = $"Reminder {Data.RemindersSent}: `{Data.Title}` still needs an approver.", ThreadUnderKey = RequestKey });
                if (Data.RemindersSent < MaxReminders)
                    SetTimer("reminder", ApprovalTrigger.Remind, ctx.Now + ReminderAfter, $"reminder:{Data.RemindersSent + 1}");
            }, "post a reminder, re-arm the reminder timer");

        machine.Configure(ApprovalState.Approved)
            .OnEntryFrom(On(ApprovalTrigger.Approve), ctx => Decide(ctx, "approved"), "announce, cancel timers");
        machine.Configure(ApprovalState.Rejected)
            .OnEntryFrom(On(ApprovalTrigger.Reject), ctx => Decide(ctx, "rejected"), "announce, cancel timers");
        machine.Configure(ApprovalState.Expired)
            .OnEntry(() =>
            {
                CancelTimer("reminder");
                Send(new OutboxDraft { Channel = Data.Channel, Text = $"`{Data.Title}` expired without approval.", ThreadUnderKey = RequestKey });
            }, "announce expiry");
    }

    protected override void OnCreated()
    {
        Send(new OutboxDraft { Channel = Data.Channel, Key = RequestKey, Text = $"{Data.RequesterName} asks for approval: `{Data.Title}`", BlocksJson = "[]" });
        SetTimer("reminder", ApprovalTrigger.Remind, Context.Now + ReminderAfter, "reminder:1");
        SetTimer("expiry", ApprovalTrigger.Expire, Context.Now + ExpiresAfter, "expiry");
        AuditDetail("title", Data.Title);
    }

    private void Decide(FireContext ctx, string verb)
    {
        Data.DecidedBy = ctx.Actor.UserName;
        CancelTimer("reminder");
        CancelTimer("expiry");
        Send(new OutboxDraft { Channel = Data.Channel, Text = $"{verb} by {ctx.Actor.Mention}", ThreadUnderKey = RequestKey });
        Send(new OutboxDraft { Channel = Data.Channel, Text = $"`{Data.Title}` — {verb} by {ctx.Actor.Mention}", UpdateKey = RequestKey });
    }
}
