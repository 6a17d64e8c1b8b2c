namespace Bot.Workflows.Incidents;

public enum IncidentState
{
    /// <summary>Paged and not acknowledged: someone on the current level must answer before the deadline.</summary>
    Triggered,
    Acknowledged,
    Resolved,
}

public enum IncidentTrigger
{
    // ---- people (the card's buttons); each calls PagerDuty first, as the person who clicked
    Acknowledge,
    Escalate,
    Resolve,
    Snooze,
    /// <summary>Collect the playbook's investigation again (also done by itself when the incident opens).</summary>
    RunDiagnostics,
    /// <summary>A note on PagerDuty's timeline, from Slack (<c>/sb note</c>).</summary>
    AddNote,
    /// <summary>Assign it to a person, or move it to a level (<c>/sb reassign</c>).</summary>
    Reassign,
    /// <summary>A status update to the incident's stakeholders (<c>/sb update</c>).</summary>
    PublishUpdate,

    // ---- what PagerDuty says happened (a webhook, the reconciler, or PagerDuty's answer to one of our calls)
    Acknowledged,
    /// <summary>The acknowledgement ran out, or a snooze ended: triggered again.</summary>
    Unacknowledged,
    /// <summary>Moved to another level (by PagerDuty's policy, by someone in PagerDuty, or by us).</summary>
    Escalated,
    /// <summary>Assigned to other people (directly, or by a level of the policy).</summary>
    Reassigned,
    /// <summary>Moved to another escalation policy, whose own clock escalates it: the bot's clock stops.</summary>
    Delegated,
    Resolved,
    Reopened,
    /// <summary>Anything else PagerDuty reports: a note, a new priority, an added responder.</summary>
    Updated,
    /// <summary>PagerDuty accepted a snooze we asked for.</summary>
    Snoozed,
    /// <summary>The bot acknowledged again for someone whose acknowledgement its escalation crossed (or found it still acknowledged).</summary>
    Reacknowledged,

    // ---- the bot's clock
    /// <summary>Nobody acknowledged in time: ask PagerDuty to escalate (or, at the last level, remind them).</summary>
    DeadlineElapsed,
    /// <summary>PagerDuty's answer to the bot's clock: the incident escalated, or found acknowledged or resolved (not escalated).</summary>
    DeadlineChecked,
    /// <summary>A few minutes before the deadline: say so in the thread.</summary>
    Nudge,
    /// <summary>The watchdog: PagerDuty should have escalated by now and has not said so.</summary>
    Overdue,

    // ---- results of the bot's own work
    /// <summary>A call to PagerDuty failed; nothing changed there.</summary>
    ActionFailed,
    Diagnosed,
    DiagnosticsFailed,
}

/// <summary>Who runs the escalation clock (<c>Escalation__Clock</c>): exactly one of them does.</summary>
public enum EscalationClock
{
    /// <summary>The bot escalates on its own deadlines, through PagerDuty's API (<c>escalation_level</c>).</summary>
    Bot,
    /// <summary>PagerDuty's escalation policy escalates; the thread follows it and shows its next escalation time.</summary>
    PagerDuty,
}

/// <summary>One level of the escalation path: who it is, who to mention in Slack (a user or user group id), how long they have.</summary>
public sealed record EscalationLevel(string Name, string Notify, TimeSpan RespondWithin);

/// <summary>How readers of the store (the App Home, <c>/sb status</c>, the open-incidents gauge) tell open incidents.</summary>
public static class IncidentLifecycle
{
    /// <summary>
    /// True for a stored incident state in which the incident still needs people: every state of the machine but
    /// <see cref="IncidentState.Resolved"/>. A state this version does not know (a newer version's) counts as open.
    /// </summary>
    public static bool IsOpen(string state) => !(Enum.TryParse<IncidentState>(state, out var known) && known == IncidentState.Resolved);

    /// <summary>The states of an open incident, as stored: what the listings of open incidents ask the store for.</summary>
    public static readonly IReadOnlyList<string> OpenStates = Enum.GetNames<IncidentState>().Where(IsOpen).ToList();
}
