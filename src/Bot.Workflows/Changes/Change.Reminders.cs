using Bot.Workflows.Messages;
using Stateless;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Changes;

/// <summary>
/// Approvers are asked, not left to notice: the card names whom it waits for, and the thread reminds them at half the
/// change's time to expiry and again an hour before it expires, mentioning the people (or groups) still needed.
/// </summary>
public sealed partial class Change
{
    public static readonly TimeSpan LastReminderBefore = TimeSpan.FromHours(1);

    private void ScheduleApproverReminders(DateTimeOffset now)
    {
        var half = now + (Data.ExpiresAt - now) / 2;
        var lastCall = Data.ExpiresAt - LastReminderBefore;
        if (half > now) SetTimer("remind-half", ChangeTrigger.RemindApprovers, half, "remind:half");
        if (lastCall > half + TimeSpan.FromMinutes(5)) SetTimer("remind-hour", ChangeTrigger.RemindApprovers, lastCall, "remind:hour");
    }

    private void ConfigureApproverReminders(StateMachine<ChangeState, ChangeTrigger>.StateConfiguration pending) =>
        Internal(pending, ChangeTrigger.RemindApprovers, ctx => ctx.Expectation is "remind:half" or "remind:hour" && ctx.Source != Engine.TriggerSource.Person,
            "Only the reminder timers remind the approvers.", ctx =>
            {
                Data.ApproverReminders++;
                var empty = ApprovalPolicy.Assess(Data, Data.Approvals).Empty;
                var parts = new List<object> { Strong("Reminder: "), "this change still needs " };
                foreach (var seat in empty)
                {
                    if (seat != empty[0]) parts.Add(" and ");
                    parts.Add(seat.InWords());
                    if (ContactsOf(seat.Role) is { Count: > 0 } who) parts.AddRange([" (", .. Joined(who, ", "), ")"]);
                }
                parts.Add(ctx.Expectation == "remind:hour" ? "; it expires in an hour, at " : "; it expires at ");
                parts.Add(Time(Data.ExpiresAt));
                parts.Add(". The requester cannot approve it.");
                Timeline(Line.Of([.. parts]));
            });

    /// <summary>Whom to mention for <paramref name="role"/>: its user groups, or (with none) up to five of its people; empty when unknown.</summary>
    private IReadOnlyList<object> ContactsOf(string role)
    {
        if (!Data.Contacts.TryGetValue(role, out var who)) return [];
        return who.Groups.Count > 0
            ? who.Groups.Select(g => (object)Group(g, role)).ToList()
            : who.Users.Where(u => u != Data.RequesterId).Take(5).Select(u => (object)User(u, u)).ToList();
    }

    private static IEnumerable<object> Joined(IReadOnlyList<object> spans, string separator) =>
        spans.SelectMany((span, i) => i == 0 ? [span] : new[] { separator, span });
}
