using Bot.Workflows.Engine;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Incidents;

/// <summary>What each piece of PagerDuty's news does to the incident and its thread, and what a failed call to PagerDuty says.</summary>
public sealed partial class Incident
{
    private void EnterEscalated(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx)!;
        var asked = Data.Escalating;
        Apply(news);
        var from = Data.Level;
        var to = Data.IndexOf(news.Incident.Level) ?? Data.Level;
        // The webhook of the bot's own escalation may arrive before PagerDuty's answer to it: it is the clock's.
        var byClock = asked is not null && to == asked.To;
        if (Data.Pending?.Action == IncidentTrigger.Escalate) Data.Pending = null;
        if (!byClock) AddActor(news);
        MoveTo(ctx, to, new EscalationRecord(news.At, from, to, byClock ? ClockName : news.Who, asked?.At), news);
        var why = byClock ? $": nobody on level {from + 1} acknowledged within {Minutes(Data.Levels[from].RespondWithin)}. " : $" {ByWhom(news)}. ";
        Say(ctx, Line.Of([Strong("⏫ Escalated"), $" to {LevelName(Data.Level)}{why}", ExpectedPeople(), " please acknowledge",
            .. DeadlineClause().Spans, "."]), broadcast: true);
    }

    private void EnterUnacknowledged(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx)!;
        var snoozed = Data.SnoozedUntil is not null;
        Apply(news);
        Data.Level = Data.IndexOf(news.Incident.Level) ?? Data.Level;
        Data.AcknowledgedBy = null;
        Data.AcknowledgedAt = null;
        Arm(ctx, news);
        var what = snoozed ? "the snooze ended" : "the acknowledgement ran out";
        Say(ctx, Line.Of([Strong("↩️ Triggered again"), $": {what}{(news.Via == IncidentNewsSource.Reconciler ? Via(news) : "")}. {Capitalized(LevelName(Data.Level))}: ", Expected(),
            " please acknowledge", .. DeadlineClause().Spans, "."]), broadcast: true);
    }

    private void EnterReassigned(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx)!;
        Apply(news);
        Data.Level = Data.IndexOf(news.Incident.Level) ?? Data.Level;
        Data.AcknowledgedBy = null;
        Data.AcknowledgedAt = null;
        AddActor(news);
        Arm(ctx, news);
        var who = Data.Assignees.Count > 0 ? string.Join(", ", Data.Assignees) : "someone else";
        Say(ctx, news.Incident.IsDirectlyAssigned
            ? Line.Of(Strong("👤 Reassigned"), $" to {who} {ByWhom(news)}: a direct assignment, which PagerDuty never escalates, so the bot's clock stops too. ",
                "Escalate from the card if nobody answers.")
            : Line.Of([Strong("👤 Reassigned"), $" to {who} {ByWhom(news)}; it waits for their acknowledgement", .. DeadlineClause().Spans, "."]));
    }

    private void EnterDelegated(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx)!;
        Apply(news);
        Data.AcknowledgedBy = null;
        Data.AcknowledgedAt = null;
        AddActor(news);
        Arm(ctx, news);
        var policy = news.Incident.EscalationPolicy ?? news.Incident.EscalationPolicyId ?? "another";
        var who = Data.Assignees.Count > 0 ? string.Join(", ", Data.Assignees) : "its people";
        Say(ctx, Data.ClockStopped is not null
            ? Line.Of(Strong("↪️ Delegated"), $" to the {policy} escalation policy {ByWhom(news)}: PagerDuty pages {who} now. ",
                "The bot's clock stops: that policy's own clock escalates it from here.")
            : Line.Of([Strong("↪️ Delegated"), $" to the {policy} escalation policy {ByWhom(news)}: PagerDuty pages {who} now", .. DeadlineClause().Spans, "."]), broadcast: true);
    }

    private void EnterReopened(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx)!;
        Apply(news);
        Data.ResolvedAt = null;
        Data.ResolvedBy = null;
        // The acknowledgement before it was resolved is over: only PagerDuty's acknowledgement now counts.
        Data.AcknowledgedAt = CurrentState == IncidentState.Acknowledged ? news.At : null;
        Data.AcknowledgedBy = CurrentState == IncidentState.Acknowledged ? news.Incident.AcknowledgedBy ?? news.By : null;
        AddActor(news);
        if (CurrentState == IncidentState.Triggered)
        {
            Data.Level = Data.IndexOf(news.Incident.Level) ?? Data.Level;
            Arm(ctx, news);
        }
        Say(ctx, Line.Of(Strong("🔁 Reopened"), $" {ByWhom(news)}: it is {news.Incident.Status} again."), broadcast: true);
    }

    private void EnterAcknowledged(FireContext ctx) => Acknowledge(ctx, mayHaveCrossed: true);

    /// <summary>
    /// Acknowledged (as PagerDuty says): the clock stops and the thread says who. An acknowledgement made after the bot's
    /// clock asked PagerDuty to escalate (<paramref name="mayHaveCrossed"/>) may have been undone by that escalation: the bot
    /// checks, and acknowledges again for them if so.
    /// </summary>
    private void Acknowledge(FireContext ctx, bool mayHaveCrossed)
    {
        var news = IncidentEvent.Of(ctx)!;
        // Older than what the thread shows (yet after the bot's clock asked): its details are not the newest.
        if (news.At >= Data.PagerDutyAt) Apply(news);
        Disarm();
        Data.AcknowledgedAt = news.At;
        Data.AcknowledgedBy = news.Incident.AcknowledgedBy is { } acknowledger && news.Via != IncidentNewsSource.Bot ? acknowledger : news.Who;
        AddActor(news);
        if (Data.Pending?.Action == IncidentTrigger.Acknowledge) Data.Pending = null;
        Say(ctx, Line.Of(Strong("✅ Acknowledged"), $" {ByWhom(news)} at {LevelName(Data.Level)}, {Minutes(news.At - Data.TriggeredAt)} after it was triggered."));
        if (mayHaveCrossed && AfterTheClockAsked(news)) Reacknowledge();
    }

    private void EnterResolved(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx)!;
        Apply(news);
        Disarm();
        Data.Pending = null;
        Data.SnoozedUntil = null;
        Data.ResolvedAt = news.At;
        Data.ResolvedBy = news.Who;
        AddActor(news);
        Say(ctx, Line.Of(Strong("✔️ Resolved"), $" {ByWhom(news)}, {Minutes(news.At - Data.TriggeredAt)} after it was triggered."));
        PostSummary();
    }

    private void Snoozed(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx);
        if (news is not null) Apply(news);
        var pending = Data.Pending;
        Data.Pending = null;
        Data.SnoozedUntil = ctx.Now + (pending?.For ?? TimeSpan.FromHours(1));
        var who = pending is null ? news?.Who ?? "PagerDuty" : "@" + pending.UserName;
        if (pending is not null) AddActor(new IncidentActor("@" + pending.UserName, news?.ByPagerDuty));
        Say(ctx, Line.Of("😴 Snoozed by ", who, " until ", Time(Data.SnoozedUntil.Value), ": PagerDuty triggers it again then if it is not resolved."));
    }

    /// <summary>A note, a new priority, a responder — or, without a note, just the incident's details (who PagerDuty pages now).</summary>
    private void Updated(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx)!;
        Apply(news);
        if (news.Note is not { } note) return;
        if (news.NoteId is { } noteId)
        {
            // A note added from Slack comes back as PagerDuty's webhook too: it is shown once.
            if (Data.Notes.Contains(noteId, StringComparer.Ordinal)) return;
            Data.Notes.Add(noteId);
            if (Data.Notes.Count > MaxLog) Data.Notes.RemoveAt(0);
        }
        AddActor(news);
        Say(ctx, Line.Of(news.Icon, " ", note));
    }

    private void ActionFailed(FireContext ctx)
    {
        var outcome = ctx.Activity!;
        var name = outcome.ActivityId.Split('/')[^1].Split('@')[0];
        switch (name)
        {
            case "clock-escalate":
                ClockFailed(ctx, outcome.Message);
                return;
            case "reacknowledge" when outcome.Code == "AlreadyResolved":
                return;
            case "reacknowledge":
                Say(ctx, Line.Of("⚠️ The bot could not acknowledge it again in PagerDuty: ", outcome.Message, " Acknowledge it there by hand, or PagerDuty keeps paging."),
                    broadcast: true);
                return;
        }
        if (name.Split('~') is [var command, var userId] && command is "note" or "update" or "reassign")
        {
            // A command's call (no pending button): the person hears why; the thread, unless PagerDuty refused who they are.
            var asked = command switch { "note" => "note", "update" => "status update", _ => "reassignment" };
            Notify(userId, Line.Of("Your ", asked, " of incident ", Code(Label), " did not go through: ", outcome.Message));
            if (outcome.Code != "NoPagerDutyAccount") Say(ctx, Line.Of("⚠️ A ", asked, " from Slack did not reach PagerDuty: ", outcome.Message));
            return;
        }
        var pending = Data.Pending;
        Data.Pending = null;
        if (pending is null) return;
        var what = pending.Action.ToString().ToLowerInvariant();
        Notify(pending.UserId, Line.Of("Your ", what, " of incident ", Code(Label), " did not go through: ", outcome.Message));
        if (outcome.Code != "NoPagerDutyAccount")
            Say(ctx, Line.Of("⚠️ The ", what, " by @", pending.UserName, " did not reach PagerDuty: ", outcome.Message));
    }
}
