using Bot.Workflows.Engine;
using Bot.Workflows.Incidents.Activities;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Incidents;

/// <summary>
/// The escalation clock. The bot's clock never fights a human: when a level's time is up it first waits for an
/// acknowledgement someone pressed in Slack, then asks PagerDuty, which escalates only an incident still triggered on that
/// level (<see cref="IncidentAction.FromLevel"/>); the thread moves when PagerDuty has answered, naming who it pages now. An
/// acknowledgement that crosses the escalation in PagerDuty is restored by the bot, for the person who made it.
/// </summary>
public sealed partial class Incident
{
    /// <summary>What the escalation records name as the mover when the bot's clock escalated.</summary>
    public const string ClockName = "the bot's clock";

    /// <summary>How long a deadline waits for the answer to an acknowledgement (or another action) someone pressed in Slack.</summary>
    public static readonly TimeSpan PendingWait = TimeSpan.FromSeconds(30);

    protected override void OnCreated()
    {
        var ctx = Context;
        var news = _opening ?? throw new InvalidOperationException("Create an incident with Incident.Open.");
        Arm(ctx, news);
        var service = Data.Service is { Length: > 0 } s ? Line.Of(" on ", Code(s)) : Line.Empty;
        Say(ctx, Line.Of([Strong("🚨 Triggered"), " in PagerDuty", .. service.Spans, ": ", Data.Title, news.Via == IncidentNewsSource.Reconciler ? Via(news) : "", ". ",
            Capitalized(LevelName(Data.Level)), ": ", Expected(), " please acknowledge", .. DeadlineClause().Spans, "."]));
        if (Data.ClockStopped is { } stopped) Say(ctx, Line.Of("⏸ No escalation clock runs: ", stopped, "."));
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
    /// At the last level the bot reminds instead of escalating, on either clock. No clock runs for an incident PagerDuty
    /// never escalates by this policy (a direct assignment, a delegation to another policy).
    /// </summary>
    private void Arm(FireContext ctx, IncidentEvent? news)
    {
        Data.Epoch++;
        Data.AsOf = ctx.Now;
        Data.SnoozedUntil = null;
        Data.Escalating = null;
        Data.ClockFailures = 0;
        if (news is not null) Data.ClockStopped = StopReason(news.Incident);
        CancelTimer("deadline");
        CancelTimer("nudge");
        CancelTimer("watchdog");
        var respond = Data.CurrentLevel.RespondWithin;
        var botRuns = Data.Clock == EscalationClock.Bot || Data.AtLastLevel;
        Data.DeadlineAt = Data.ClockStopped is not null ? null : botRuns ? ctx.Now + respond : news?.Incident.NextEscalationAt;
        if (Data.DeadlineAt is not { } due) return;

        if (botRuns) SetTimer("deadline", IncidentTrigger.DeadlineElapsed, due, Epoch);
        else SetTimer("watchdog", IncidentTrigger.Overdue, due + Data.WatchdogGrace, Epoch);
        var lead = Data.NudgeBefore < respond / 3 ? Data.NudgeBefore : respond / 3;
        if (lead > TimeSpan.Zero && due - lead > ctx.Now) SetTimer("nudge", IncidentTrigger.Nudge, due - lead, Epoch);
    }

    /// <summary>Why no escalation clock should run for the incident as PagerDuty shows it now; null when one should.</summary>
    private string? StopReason(Ports.PagerIncident live)
    {
        if (live.Status != Ports.PagerIncident.Triggered) return null;
        if (live.IsDirectlyAssigned)
            return $"it is assigned directly to {(live.Assignees.Count > 0 ? string.Join(", ", live.Assignees) : "someone")}, and PagerDuty never escalates a direct assignment";
        if (live.EscalationPolicyId is { } policy && Data.EscalationPolicyId is { } ours && policy != ours)
            return $"it was delegated to the {live.EscalationPolicy ?? policy} escalation policy, whose own clock escalates it";
        return null;
    }

    private void Disarm()
    {
        CancelTimer("deadline");
        CancelTimer("nudge");
        CancelTimer("watchdog");
        Data.DeadlineAt = null;
        Data.Escalating = null;
    }

    /// <summary>
    /// A level's time is up. At the last level: a reminder. Otherwise, when someone pressed Acknowledge (or another button)
    /// and PagerDuty has not answered yet, the deadline waits for that answer; else the bot asks PagerDuty to escalate — only
    /// if the incident is still triggered on this level — and the thread moves when PagerDuty answers.
    /// </summary>
    private void Deadline(FireContext ctx)
    {
        var waited = Data.CurrentLevel.RespondWithin;
        if (Data.AtLastLevel)
        {
            Data.Reminders++;
            var late = Late(ctx);
            Arm(ctx, null);
            Say(ctx, Line.Of([Strong("🔁 Still not acknowledged"), $" after {Minutes(waited)} at the last level, {Data.CurrentLevel.Name}.{late} ",
                Expected(), $" please acknowledge (reminder {Data.Reminders})", .. DeadlineClause().Spans, "."]), broadcast: true);
            return;
        }
        if (Data.Pending is { } pending)
        {
            // An acknowledgement pressed in Slack wins over the deadline: ask again once PagerDuty had time to answer it.
            SetTimer("deadline", IncidentTrigger.DeadlineElapsed, ctx.Now + PendingWait, Epoch);
            AuditDetail("deadline", $"waits for the answer to the {pending.Action.ToString().ToLowerInvariant()} by @{pending.UserName}");
            return;
        }
        if (Data.Escalating is not null) return;
        Data.Escalating = new ClockEscalation(Data.Level, Data.Level + 1, ctx.Now);
        CancelTimer("nudge");
        AuditDetail("deadline", $"asks PagerDuty to escalate to {LevelName(Data.Level + 1)} if nobody acknowledged");
        Run("clock-escalate", new IncidentAction(Id, PagerAction.Escalate, null, ToLevel: Data.Level + 2, FromLevel: Data.Level + 1),
            IncidentTrigger.DeadlineChecked, IncidentTrigger.ActionFailed);
    }

    /// <summary>" The deadline passed 25 min ago: …" when the bot is late by more than the watchdog's grace, else nothing.</summary>
    private string Late(FireContext ctx) =>
        Data.DeadlineAt is { } due && ctx.Now - due > Data.WatchdogGrace ? $" The deadline passed {Minutes(ctx.Now - due)} ago: the bot could not escalate on time." : "";

    /// <summary>The state PagerDuty's answer to the bot's clock puts the incident in.</summary>
    private static IncidentState AfterClock(FireContext ctx) => IncidentEvent.Of(ctx)?.Incident.Status switch
    {
        Ports.PagerIncident.Acknowledged => IncidentState.Acknowledged,
        Ports.PagerIncident.Resolved => IncidentState.Resolved,
        _ => IncidentState.Triggered,
    };

    /// <summary>PagerDuty answered the bot's clock with the incident still (or again) triggered: escalated by the clock, by PagerDuty, or not at all.</summary>
    private void EnterClockAnswered(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx)!;
        var asked = Data.Escalating;
        var late = Late(ctx);
        Apply(news);
        var from = Data.Level;
        if (Data.IndexOf(news.Incident.Level) is { } to && to > from)
        {
            var byClock = ctx.Activity?.FoundDone != true;
            MoveTo(ctx, to, new EscalationRecord(news.At, from, to, byClock ? ClockName : "PagerDuty", asked?.At), news);
            var why = byClock
                ? $": nobody on level {from + 1} acknowledged within {Minutes(Data.Levels[from].RespondWithin)}.{late} "
                : " by PagerDuty's own policy (it was there before the bot's clock asked). ";
            Say(ctx, Line.Of([Strong("⏫ Escalated"), $" to {LevelName(Data.Level)}{why}", ExpectedPeople(), " please acknowledge", .. DeadlineClause().Spans, "."]), broadcast: true);
            return;
        }
        Arm(ctx, news);
        Say(ctx, Data.ClockStopped is { } stopped
            ? Line.Of("⏸ The bot's clock did not escalate and stops: ", stopped, ".")
            : Line.Of("⏸ The bot's clock did not escalate: PagerDuty shows it on ", LevelName(Data.IndexOf(news.Incident.Level) ?? Data.Level), "; the level's time starts again."));
    }

    /// <summary>
    /// PagerDuty's answer to the bot's clock came after the incident was acknowledged here. When the escalation landed, the
    /// card shows the new level; and since it may have landed after the acknowledgement (undoing it in PagerDuty), the bot
    /// makes sure PagerDuty still shows it acknowledged.
    /// </summary>
    private void ClockAnsweredLate(FireContext ctx)
    {
        if (IncidentEvent.Of(ctx) is not { } news || Data.IndexOf(news.Incident.Level) is not { } to || to <= Data.Level) return;
        var from = Data.Level;
        Data.Level = to;
        Data.Escalations.Add(new EscalationRecord(news.At, from, to, ClockName, Data.AcknowledgedAt));
        Say(ctx, Line.Of($"⏫ The bot's clock escalated it to {LevelName(to)} as the acknowledgement by ", Data.AcknowledgedBy ?? "someone",
            " reached PagerDuty; it stays acknowledged."));
        Reacknowledge();
    }

    /// <summary>
    /// The bot's escalation may have crossed an acknowledgement in PagerDuty and undone it: the bot acknowledges again, for
    /// the person who did, unless PagerDuty shows it acknowledged (then nothing is done, and nothing said).
    /// </summary>
    private void Reacknowledge() =>
        Run("reacknowledge", new IncidentAction(Id, PagerAction.Acknowledge, null, OnBehalfOf: Data.AcknowledgedBy ?? "someone"),
            IncidentTrigger.Reacknowledged, IncidentTrigger.ActionFailed);

    /// <summary>Whether the acknowledgement <paramref name="news"/> happened after the bot's clock asked PagerDuty to escalate to this level (it may have crossed it).</summary>
    private bool AfterTheClockAsked(IncidentEvent news) =>
        Data.Escalations.LastOrDefault() is { By: ClockName, AskedAt: { } asked } last && last.To == Data.Level && news.At >= asked - ClockSkew;

    /// <summary>How far PagerDuty's clock and the bot's may differ when their times are compared.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    /// <summary>The bot acknowledged again for the person whose acknowledgement its escalation undid.</summary>
    private void EnterReacknowledged(FireContext ctx)
    {
        var news = IncidentEvent.Of(ctx)!;
        Apply(news);
        Disarm();
        Data.AcknowledgedAt ??= news.At;
        Data.AcknowledgedBy = news.Who;
        if (Data.Pending?.Action == IncidentTrigger.Acknowledge) Data.Pending = null;
        SayRestored(ctx, news);
    }

    private void Reacknowledged(FireContext ctx)
    {
        if (IncidentEvent.Of(ctx) is not { } news) return;
        if (news.At >= Data.PagerDutyAt) Apply(news);
        if (ctx.Activity?.FoundDone != true) SayRestored(ctx, news);
    }

    private void SayRestored(FireContext ctx, IncidentEvent news) =>
        Say(ctx, Line.Of($"↩️ The acknowledgement by {news.Who} crossed the bot's escalation in PagerDuty, which undid it. ",
            $"The bot acknowledged it again for {news.Who}: nobody else needs to answer."), broadcast: true);

    /// <summary>Moves to level <paramref name="to"/>: records the move, gives a storm's incident its own thread past level 1, restarts the clock.</summary>
    private void MoveTo(FireContext ctx, int to, EscalationRecord record, IncidentEvent news)
    {
        Data.Level = to;
        if (record.From != record.To) Data.Escalations.Add(record);
        if (Data.Quiet && to >= 1)
        {
            Data.Quiet = false;
            ToDigest(Line.Of(Strong(Label), $" escalated to {LevelName(to)}: it has a thread of its own now."));
        }
        Arm(ctx, news);
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

    /// <summary>
    /// The bot's clock could not reach PagerDuty: the thread stays on its level (nothing was escalated) and the clock asks
    /// again after 1, 2, 4 … at most 15 minutes; the thread hears of it once.
    /// </summary>
    private void ClockFailed(FireContext ctx, string message)
    {
        Data.Escalating = null;
        Data.ClockFailures++;
        var retry = TimeSpan.FromMinutes(Math.Min(15, Math.Pow(2, Math.Min(Data.ClockFailures - 1, 4))));
        SetTimer("deadline", IncidentTrigger.DeadlineElapsed, ctx.Now + retry, Epoch);
        if (Data.ClockFailures > 1) return;
        Say(ctx, Line.Of(["⚠️ PagerDuty was not escalated: ", message, $" The thread stays on {LevelName(Data.Level)}; the bot asks PagerDuty again in {Minutes(retry)}. Page ",
            Data.NextLevel is { } next ? Mention(next) : Strong("the next level"), " by hand if it is urgent."]), broadcast: true);
    }

    /// <summary>" by 14:32 UTC (in 11 min)", or nothing when no deadline is known.</summary>
    private Line DeadlineClause() => Data.DeadlineAt is { } due ? Line.Of([" by ", .. Due()]) : Line.Empty;

    /// <summary>The deadline and the time left until it, worked out at the moment the card or line is shown.</summary>
    private Span[] Due() => Data.DeadlineAt is { } due ? [Time(due), new TextSpan($" (in {Minutes(due - ShownAt)})")] : [];

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
