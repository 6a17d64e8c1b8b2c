using Bot.Workflows.Engine;
using Bot.Workflows.Incidents.Activities;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Incidents;

/// <summary>The escalation clock and what each piece of news does to the thread.</summary>
public sealed partial class Incident
{
    protected override void OnCreated()
    {
        var ctx = Context;
        var news = _opening ?? throw new InvalidOperationException("Create an incident with Incident.Open.");
        Arm(ctx, news);
        var service = Data.Service is { Length: > 0 } s ? Line.Of(" on ", Code(s)) : Line.Empty;
        Say(ctx, Line.Of([Strong("🚨 Triggered"), " in PagerDuty", .. service.Spans, ": ", Data.Title, news.Via == IncidentNewsSource.Reconciler ? Via(news) : "", ". ",
            Capitalized(LevelName(Data.Level)), ": ", Expected(), " please acknowledge", .. DeadlineClause().Spans, "."]));
        if (Data.Playbook is { } playbook && HasThread)
        {
            PostRunbook(playbook);
            if (playbook.HasTarget)
            {
                Data.DiagnosticsRuns++;
                Run("diagnose", new DiagnoseIncident(Id, playbook, ctx.Now), IncidentTrigger.Diagnosed, IncidentTrigger.DiagnosticsFailed);
            }
        }
        AuditDetail("pagerduty", Data.Url ?? Id);
        AuditDetail("level", LevelName(Data.Level));
        AuditDetail("clock", Data.Clock.ToString());
        if (Data.Quiet) AuditDetail("storm", "listed in the storm digest, no thread");
        if (Data.Playbook is { } p) AuditDetail("playbook", p.Name);
    }

    /// <summary>
    /// Starts the current level's clock: a new epoch (timers of an earlier one are out of date), the deadline (the bot's
    /// own, or PagerDuty's next escalation), a reminder before it, and — on PagerDuty's clock — the watchdog after it.
    /// At the last level the bot reminds instead of escalating, on either clock.
    /// </summary>
    private void Arm(FireContext ctx, IncidentEvent? news)
    {
        Data.Epoch++;
        Data.AsOf = ctx.Now;
        Data.SnoozedUntil = null;
        var respond = Data.CurrentLevel.RespondWithin;
        var botRuns = Data.Clock == EscalationClock.Bot || Data.AtLastLevel;
        Data.DeadlineAt = botRuns ? ctx.Now + respond : news?.Incident.NextEscalationAt;
        CancelTimer("deadline");
        CancelTimer("nudge");
        CancelTimer("watchdog");
        if (Data.DeadlineAt is not { } due) return;

        if (botRuns) SetTimer("deadline", IncidentTrigger.DeadlineElapsed, due, Epoch);
        else SetTimer("watchdog", IncidentTrigger.Overdue, due + Data.WatchdogGrace, Epoch);
        var lead = Data.NudgeBefore < respond / 3 ? Data.NudgeBefore : respond / 3;
        if (lead > TimeSpan.Zero && due - lead > ctx.Now) SetTimer("nudge", IncidentTrigger.Nudge, due - lead, Epoch);
    }

    private void Disarm()
    {
        CancelTimer("deadline");
        CancelTimer("nudge");
        CancelTimer("watchdog");
        Data.DeadlineAt = null;
    }

    private void EnterDeadline(FireContext ctx)
    {
        var overdueBy = Data.DeadlineAt is { } due && ctx.Now - due > Data.WatchdogGrace ? ctx.Now - due : (TimeSpan?)null;
        var late = overdueBy is { } by ? $" The deadline passed {Minutes(by)} ago: the bot could not escalate on time." : "";
        var waited = Data.CurrentLevel.RespondWithin;
        // What PagerDuty said before now (a reconciler's read, a webhook in flight) must not undo this step — except an
        // acknowledgement or a resolution made in time, whose webhook was still on its way: that ends the clock all the same.
        if (ctx.Now > Data.ClockStepAt) Data.ClockStepAt = ctx.Now;
        if (!Data.AtLastLevel)
        {
            var from = Data.Level;
            Data.Level++;
            Data.Escalations.Add(new EscalationRecord(ctx.Now, from, Data.Level, "the bot's clock"));
            Arm(ctx, null);
            Say(ctx, Line.Of([Strong("⏫ Escalated"), $" to {LevelName(Data.Level)}: nobody on level {from + 1} acknowledged within {Minutes(waited)}.{late} ",
                Expected(), " please acknowledge", .. DeadlineClause().Spans, "."]), broadcast: true);
            if (Data.Clock == EscalationClock.Bot)
                // PagerDuty's answer only tells who it now pages (the level moved already).
                Run("clock-escalate", new IncidentAction(Id, PagerAction.Escalate, null, ToLevel: Data.Level + 1), IncidentTrigger.Updated, IncidentTrigger.ActionFailed);
        }
        else
        {
            Data.Reminders++;
            Arm(ctx, null);
            Say(ctx, Line.Of([Strong("🔁 Still not acknowledged"), $" after {Minutes(waited)} at the last level, {Data.CurrentLevel.Name}.{late} ",
                Expected(), $" please acknowledge (reminder {Data.Reminders})", .. DeadlineClause().Spans, "."]), broadcast: true);
        }
    }

    private void EnterEscalated(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx)!;
        Apply(news);
        var from = Data.Level;
        Data.Level = Data.IndexOf(news.Incident.Level) ?? Data.Level;
        if (Data.Level != from) Data.Escalations.Add(new EscalationRecord(news.At, from, Data.Level, news.Who));
        if (Data.Pending?.Action == IncidentTrigger.Escalate) Data.Pending = null;
        if (news.By is { } by) AddActor(by);
        Arm(ctx, news);
        Say(ctx, Line.Of([Strong("⏫ Escalated"), $" to {LevelName(Data.Level)} {ByWhom(news)}. ", Expected(), " please acknowledge",
            .. DeadlineClause().Spans, "."]), broadcast: true);
    }

    private void EnterUnacknowledged(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx)!;
        Apply(news);
        Data.Level = Data.IndexOf(news.Incident.Level) ?? Data.Level;
        Arm(ctx, news);
        Say(ctx, Line.Of([Strong("↩️ Triggered again"), $": the acknowledgement ran out{(news.Via == IncidentNewsSource.Reconciler ? Via(news) : "")}. {Capitalized(LevelName(Data.Level))}: ", Expected(),
            " please acknowledge", .. DeadlineClause().Spans, "."]), broadcast: true);
    }

    private void EnterReassigned(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx)!;
        Apply(news);
        Data.Level = Data.IndexOf(news.Incident.Level) ?? Data.Level;
        if (news.By is { } by) AddActor(by);
        Arm(ctx, news);
        var who = Data.Assignees.Count > 0 ? string.Join(", ", Data.Assignees) : "someone else";
        Say(ctx, Line.Of([Strong("👤 Reassigned"), $" to {who} {ByWhom(news)}; it waits for their acknowledgement", .. DeadlineClause().Spans, "."]));
    }

    private void EnterReopened(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx)!;
        Apply(news);
        Data.ResolvedAt = null;
        Data.ResolvedBy = null;
        if (news.By is { } by) AddActor(by);
        if (CurrentState == IncidentState.Triggered)
        {
            Data.Level = Data.IndexOf(news.Incident.Level) ?? Data.Level;
            Arm(ctx, news);
        }
        Say(ctx, Line.Of(Strong("🔁 Reopened"), $" {ByWhom(news)}: it is {news.Incident.Status} again."), broadcast: true);
    }

    private void EnterAcknowledged(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx)!;
        Apply(news);
        Disarm();
        Data.AcknowledgedAt ??= news.At;
        Data.AcknowledgedBy = news.Who;
        AddActor(news.Who);
        if (Data.Pending?.Action == IncidentTrigger.Acknowledge) Data.Pending = null;
        Say(ctx, Line.Of(Strong("✅ Acknowledged"), $" {ByWhom(news)} at {LevelName(Data.Level)}, {Minutes(news.At - Data.TriggeredAt)} after it was triggered."));
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
        AddActor(news.Who);
        Say(ctx, Line.Of(Strong("✔️ Resolved"), $" {ByWhom(news)}, {Minutes(news.At - Data.TriggeredAt)} after it was triggered."));
        PostSummary();
    }

    private void Nudge(FireContext ctx)
    {
        Data.AsOf = ctx.Now;
        var left = Data.DeadlineAt is { } due ? Minutes(due - ctx.Now) : "little time";
        var then = Data.Clock == EscalationClock.Bot || Data.AtLastLevel
            ? Data.NextLevel is { } next ? $"the bot escalates to {next.Name}" : "the bot reminds them again"
            : Data.NextLevel is { } following ? $"PagerDuty escalates to {following.Name}" : "PagerDuty escalates";
        Say(ctx, Line.Of("⏳ ", left, " left for ", Expected(), $" to acknowledge before {then}."));
    }

    private void Overdue(FireContext ctx)
    {
        Data.OverdueEpoch = Data.Epoch;
        Data.AsOf = ctx.Now;
        var next = Data.NextLevel?.Name ?? "the next level";
        Say(ctx, Line.Of([Strong("⏰ Escalation overdue"), $": PagerDuty should have escalated to {next} at ", .. Due(), ", and has not said so. ",
            "The reconciler will ask PagerDuty; page ", Data.NextLevel is { } level ? Mention(level) : Strong(next), " by hand if it is urgent."]), broadcast: true);
    }

    private void Snoozed(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx);
        if (news is not null) Apply(news);
        var pending = Data.Pending;
        Data.Pending = null;
        Data.SnoozedUntil = ctx.Now + (pending?.For ?? TimeSpan.FromHours(1));
        var who = pending is null ? news?.Who ?? "PagerDuty" : "@" + pending.UserName;
        Say(ctx, Line.Of("😴 Snoozed by ", who, " until ", Time(Data.SnoozedUntil.Value), ": PagerDuty triggers it again then if it is not resolved."));
    }

    /// <summary>A note, a new priority, a responder — or, without a note, just the incident's details (who PagerDuty pages now).</summary>
    private void Updated(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx)!;
        Apply(news);
        if (news.Note is not { } note) return;
        if (news.By is { } by) AddActor(by);
        Say(ctx, Line.Of("📝 ", note));
    }

    private void ActionFailed(FireContext ctx)
    {
        var outcome = ctx.Activity!;
        var name = outcome.ActivityId.Split('/')[^1].Split('@')[0];
        if (name == "clock-escalate" && outcome.Code == IncidentActionHandler.AcknowledgedFirst)
        {
            // The acknowledgement's own news (a webhook on its way, or the reconciler) moves the incident; nobody is paged meanwhile.
            Say(ctx, Line.Of("ℹ️ PagerDuty was not escalated: ", outcome.Message));
            return;
        }
        if (name == "clock-escalate")
        {
            Say(ctx, Line.Of("⚠️ PagerDuty was not escalated: ", outcome.Message, $" The thread is on {LevelName(Data.Level)}; page them in PagerDuty by hand."), broadcast: true);
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

    /// <summary>" by 14:32 UTC (in 11 min)", or nothing when no deadline is known.</summary>
    private Line DeadlineClause() => Data.DeadlineAt is { } due ? Line.Of([" by ", .. Due()]) : Line.Empty;

    private Span[] Due() => Data.DeadlineAt is { } due ? [Time(due), new TextSpan($" (in {Minutes(due - Data.AsOf)})")] : [];

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
