using Bot.Workflows.Engine;

namespace Bot.Workflows.Incidents;

/// <summary>A line of the incident's timeline as kept for the summary (plain text; the thread has the rich version).</summary>
public sealed record IncidentLogEntry(DateTimeOffset At, string Text);

/// <summary>
/// A move from one level to another: when, from and to (0-based), and who or what moved it. <see cref="AskedAt"/> is when the
/// bot's clock asked PagerDuty (it read the incident then, and escalated only if nobody had acknowledged).
/// </summary>
public sealed record EscalationRecord(DateTimeOffset At, int From, int To, string By, DateTimeOffset? AskedAt = null);

/// <summary>The bot's clock asking PagerDuty to escalate from level <see cref="From"/> to <see cref="To"/> (0-based) since <see cref="At"/>.</summary>
public sealed record ClockEscalation(int From, int To, DateTimeOffset At);

/// <summary>Someone who acted on the incident, as Slack knows them (<c>@alice</c>) and as PagerDuty does ("Alice Chen"), when known.</summary>
public sealed record IncidentActor(string? Slack, string? PagerDuty)
{
    public override string ToString() => (Slack, PagerDuty) switch
    {
        ({ } slack, { } pagerDuty) when !string.Equals(slack.TrimStart('@'), pagerDuty, StringComparison.OrdinalIgnoreCase) => $"{slack} ({pagerDuty})",
        ({ } slack, _) => slack,
        (_, { } pagerDuty) => pagerDuty,
        _ => "someone",
    };
}

/// <summary>A button's call to PagerDuty that has not answered yet.</summary>
public sealed record PendingAction(IncidentTrigger Action, string UserId, string UserName, DateTimeOffset At, TimeSpan? For = null);

/// <summary>The person a button was pressed by, as activities carry them.</summary>
public sealed record IncidentPerson(string UserId, string Name, ActorKind Kind)
{
    public WorkflowActor ToActor() => new(UserId, Name, Kind);
}

/// <summary>
/// The ops guide's playbook an incident matched, with what its investigation looks at: the resolution steps, the
/// environment and the function, table or API concerned (null when the incident did not name one).
/// </summary>
public sealed record PlaybookRef(string Name, string Title, IReadOnlyList<string> Steps, string Environment, string? Function = null, string? Table = null, string? Api = null)
{
    public bool HasTarget => Function is not null || Table is not null || Api is not null;
}

/// <summary>An incident's data: what PagerDuty says, where the thread lives, the escalation path and clock, and what happened.</summary>
public sealed class IncidentData
{
    /// <summary>The ops channel; empty when the incident has no thread.</summary>
    public string Channel { get; set; } = "";
    /// <summary>Arrived in a storm: listed in the storm's digest, without a thread of its own.</summary>
    public bool Quiet { get; set; }
    /// <summary>The pager is the sandbox's: shell users may act on it.</summary>
    public bool Rehearsal { get; set; }
    public EscalationClock Clock { get; set; } = EscalationClock.Bot;
    public List<EscalationLevel> Levels { get; set; } = [];
    /// <summary>How long after PagerDuty's escalation time the watchdog speaks up.</summary>
    public TimeSpan WatchdogGrace { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>How long before a deadline the thread is reminded (at most a third of the level's time).</summary>
    public TimeSpan NudgeBefore { get; set; } = TimeSpan.FromMinutes(5);

    public long? Number { get; set; }
    public string Title { get; set; } = "";
    public string? Service { get; set; }
    public string? Urgency { get; set; }
    public string? Priority { get; set; }
    public List<string> Assignees { get; set; } = [];
    public string? Url { get; set; }
    public DateTimeOffset TriggeredAt { get; set; }
    /// <summary>The newest PagerDuty state applied: anything older is not allowed to move the incident back.</summary>
    public DateTimeOffset PagerDutyAt { get; set; }

    /// <summary>The current level, 0-based (PagerDuty's level 1 is 0).</summary>
    public int Level { get; set; }
    /// <summary>How many times the incident entered Triggered; timers expect the epoch they were set in.</summary>
    public int Epoch { get; set; }
    /// <summary>When the current level's time is up (null: no deadline known).</summary>
    public DateTimeOffset? DeadlineAt { get; set; }
    /// <summary>When the card's "in N min" was worked out.</summary>
    public DateTimeOffset AsOf { get; set; }
    public int Reminders { get; set; }
    public int? OverdueEpoch { get; set; }
    public List<EscalationRecord> Escalations { get; set; } = [];

    /// <summary>The bot's clock is asking PagerDuty to escalate (it reads the incident first); null when it is not.</summary>
    public ClockEscalation? Escalating { get; set; }
    /// <summary>How many times in a row the bot's clock could not reach PagerDuty on this level.</summary>
    public int ClockFailures { get; set; }
    /// <summary>
    /// Why no clock runs for this incident (a direct assignment, which PagerDuty never escalates; a delegation to another
    /// policy); null while one runs.
    /// </summary>
    public string? ClockStopped { get; set; }
    /// <summary>The escalation policy the incident was opened on (a delegation moves it to another).</summary>
    public string? EscalationPolicyId { get; set; }
    /// <summary>The storm digest that lists it (a quiet incident's escalations are posted in the digest's thread).</summary>
    public string? DigestKey { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }
    public string? AcknowledgedBy { get; set; }
    public DateTimeOffset? SnoozedUntil { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }
    public PendingAction? Pending { get; set; }
    /// <summary>Who acted, by name, as older versions kept it (read only for their summaries); see <see cref="People"/>.</summary>
    public List<string> Actors { get; set; } = [];
    /// <summary>Everyone whose action took effect, once each, in order of their first action.</summary>
    public List<IncidentActor> People { get; set; } = [];
    public List<IncidentLogEntry> Log { get; set; } = [];
    /// <summary>The ids of notes already shown (a note added from Slack comes back as PagerDuty's webhook).</summary>
    public List<string> Notes { get; set; } = [];

    public PlaybookRef? Playbook { get; set; }
    public int DiagnosticsRuns { get; set; }

    public EscalationLevel CurrentLevel => Levels[Math.Clamp(Level, 0, Levels.Count - 1)];
    public EscalationLevel? NextLevel => Level + 1 < Levels.Count ? Levels[Level + 1] : null;
    public bool AtLastLevel => Level >= Levels.Count - 1;

    /// <summary>PagerDuty's 1-based level as an index into <see cref="Levels"/> (beyond the last: the last); null when unknown.</summary>
    public int? IndexOf(int? pagerDutyLevel) => pagerDutyLevel is { } l && l >= 1 ? Math.Min(l - 1, Levels.Count - 1) : null;
}
