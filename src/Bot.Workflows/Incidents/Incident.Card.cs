using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Workflows.Incidents;

/// <summary>
/// The thread's parent message, edited in place: title, service, urgency and priority, status, level, who is expected,
/// the assignees, the live deadline ("escalates to … at 14:32 (in 11 min)") and the buttons.
/// </summary>
public sealed partial class Incident
{
    /// <summary>The card as it looks at <paramref name="now"/> (its countdown worked out then), whether or not the incident has a thread (e.g. for <c>/sb incident</c>).</summary>
    public Card DescribeCardAt(DateTimeOffset now)
    {
        _shownAt = now;
        try { return DescribeCard(); }
        finally { _shownAt = null; }
    }

    /// <summary>Where the incident stands and who moved it there, in people's words (an outdated click is told this).</summary>
    public override string DescribeNow()
    {
        var at = Last is { } last ? $" at {last.At.UtcDateTime:HH:mm} UTC" : "";
        return CurrentState switch
        {
            IncidentState.Acknowledged => $"Incident {Label} is acknowledged by {Data.AcknowledgedBy ?? "someone"}{(Data.AcknowledgedAt is { } ack ? $" (at {ack.UtcDateTime:HH:mm} UTC)" : "")}.",
            IncidentState.Resolved => $"Incident {Label} is resolved by {Data.ResolvedBy ?? "someone"}{(Data.ResolvedAt is { } done ? $" (at {done.UtcDateTime:HH:mm} UTC)" : "")}.",
            _ when Data.Escalations.LastOrDefault() is { } escalation && escalation.To == Data.Level =>
                $"Incident {Label} is triggered on {LevelName(Data.Level)}, escalated by {escalation.By} at {escalation.At.UtcDateTime:HH:mm} UTC.",
            _ => $"Incident {Label} is triggered on {LevelName(Data.Level)}{at}.",
        };
    }

    protected override Card DescribeCard()
    {
        var fields = new List<CardField>
        {
            new("Service", Data.Service is { Length: > 0 } service ? Line.Of(Code(service)) : Line.Of("unknown")),
            new("Urgency · priority", Line.Of($"{Data.Urgency ?? "unknown"} · {Data.Priority ?? "no priority"}")),
            new("Level", Line.Of($"{Data.Level + 1} of {Data.Levels.Count}: {Data.CurrentLevel.Name}")),
            new("Expected", CurrentState == IncidentState.Resolved ? Line.Of("nobody (resolved)") : Line.Of(Expected())),
            new("Assigned in PagerDuty", Line.Of(Data.Assignees.Count > 0 ? string.Join(", ", Data.Assignees) : "nobody")),
            new("Triggered", Line.Of(Time(Data.TriggeredAt))),
        };
        var details = new List<Line>();
        if (Data.Playbook is { } playbook) details.Add(Line.Of(Strong("Playbook: "), playbook.Title, " (its steps and the diagnostics are in the thread)"));
        if (Data.Pending is { } pending)
            details.Add(Line.Of("⌛ ", $"{pending.Action} asked by @{pending.UserName}; waiting for PagerDuty's answer."));
        var footer = new List<Line> { Line.Of("PagerDuty ", Code(Id), Data.Clock == EscalationClock.Bot ? " · the bot's escalation clock" : " · PagerDuty's escalation clock") };
        if (Data.Url is { Length: > 0 } url) footer.Insert(0, Line.Of(Link(url, "Open in PagerDuty")));

        return new Card
        {
            Title = $"Incident {Label}: {Data.Title}",
            Tone = CurrentState switch
            {
                IncidentState.Triggered => CardTone.Bad,
                IncidentState.Acknowledged => CardTone.Working,
                _ => CardTone.Good,
            },
            Status = Status(),
            Fields = fields,
            Details = details,
            Footer = footer,
            Buttons = Buttons(),
        };
    }

    private Line Status() => CurrentState switch
    {
        IncidentState.Triggered => Line.Of([Strong("Triggered"), $" — {LevelName(Data.Level)} must acknowledge. ", .. Countdown().Spans]),
        IncidentState.Acknowledged => Line.Of([Strong("Acknowledged"), $" by {Data.AcknowledgedBy ?? "someone"}",
            .. (Data.SnoozedUntil is { } until ? new object[] { "; snoozed until ", Time(until) } : [])]),
        _ => Line.Of(Strong("Resolved"), $" by {Data.ResolvedBy ?? "someone"}",
            Data.ResolvedAt is { } at ? $" after {Minutes(at - Data.TriggeredAt)}" : ""),
    };

    /// <summary>What happens next and when: the live deadline.</summary>
    private Line Countdown()
    {
        if (Data.ClockStopped is { } stopped) return Line.Of("No escalation clock: ", stopped, ".");
        if (Data.Escalating is not null) return Line.Of("Time is up: the bot is asking PagerDuty to escalate (only if nobody acknowledged).");
        if (Data.DeadlineAt is null)
            return Data.Clock == EscalationClock.PagerDuty ? Line.Of("PagerDuty shows no further escalation.") : Line.Empty;
        var what = Data.NextLevel is { } next
            ? Data.Clock == EscalationClock.Bot ? $"Escalates to {next.Name} at " : $"PagerDuty escalates to {next.Name} at "
            : "Last level: reminds them again at ";
        return Line.Of([what, .. Due()]);
    }

    private IReadOnlyList<CardButton> Buttons()
    {
        var buttons = new List<CardButton>();
        switch (CurrentState)
        {
            case IncidentState.Triggered:
                buttons.Add(Button("Acknowledge", IncidentTrigger.Acknowledge, ButtonStyle.Primary));
                break;
            case IncidentState.Acknowledged:
                buttons.Add(Button("Snooze", IncidentTrigger.Snooze, askFor: "for how long to snooze it (e.g. 30m, 2h)"));
                break;
            default:
                return buttons;
        }
        if (!Data.AtLastLevel) buttons.Add(Button($"Escalate to {Data.NextLevel!.Name}", IncidentTrigger.Escalate, confirm: $"Page {Data.NextLevel.Name} now?"));
        buttons.Add(Button("Resolve", IncidentTrigger.Resolve, ButtonStyle.Danger, confirm: $"Resolve incident {Label} in PagerDuty?"));
        if (Data.Playbook is { HasTarget: true }) buttons.Add(Button("Run diagnostics", IncidentTrigger.RunDiagnostics));
        return buttons;
    }
}
