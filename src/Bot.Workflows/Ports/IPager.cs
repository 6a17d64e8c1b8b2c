namespace Bot.Workflows.Ports;

/// <summary>
/// An incident as the pager (PagerDuty) knows it: the REST API's view in the domain's terms. <see cref="Level"/> is the
/// escalation level it is on (1 is the policy's first), when it could be told; <see cref="NextEscalationAt"/> is when the
/// pager escalates it by itself next (its pending actions). Names are display names, never ids a person must decode.
/// </summary>
public sealed record PagerIncident(string Id, string Status, string Title, string? Url = null)
{
    public const string Triggered = "triggered";
    public const string Acknowledged = "acknowledged";
    public const string Resolved = "resolved";

    public bool IsOpen => Status is Triggered or Acknowledged;
    public long? Number { get; init; }
    public string? Service { get; init; }
    /// <summary>The service's id (e.g. <c>PSBLMB1</c>): which team's incident it is.</summary>
    public string? ServiceId { get; init; }
    /// <summary>The ids of the teams the incident belongs to.</summary>
    public IReadOnlyList<string> TeamIds { get; init; } = [];
    /// <summary>The escalation policy it is on: its id and name (a delegated incident moved to another).</summary>
    public string? EscalationPolicyId { get; init; }
    public string? EscalationPolicy { get; init; }
    /// <summary>
    /// <c>escalation_policy</c>, or <c>direct_assignment</c> when someone assigned it to people by hand: PagerDuty never
    /// escalates a direct assignment.
    /// </summary>
    public string? AssignedVia { get; init; }
    public bool IsDirectlyAssigned => AssignedVia == DirectAssignment;
    public const string DirectAssignment = "direct_assignment";
    /// <summary>Who acknowledged it last, by name (from its acknowledgements), when it is acknowledged.</summary>
    public string? AcknowledgedBy { get; init; }
    /// <summary>The incident's key (an Events API alert's dedup key), e.g. <c>securebase-bot/page/U1ALICE/…</c> for a page the bot sent.</summary>
    public string? IncidentKey { get; init; }
    /// <summary><c>high</c> or <c>low</c>.</summary>
    public string? Urgency { get; init; }
    /// <summary>The priority's name (e.g. <c>P1</c>), when the account uses priorities.</summary>
    public string? Priority { get; init; }
    /// <summary>Who it is assigned to now, by name.</summary>
    public IReadOnlyList<string> Assignees { get; init; } = [];
    /// <summary>The escalation level, 1-based; null when unknown (a direct assignment, or it was not asked for).</summary>
    public int? Level { get; init; }
    public DateTimeOffset? NextEscalationAt { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? LastChangeAt { get; init; }
    /// <summary>Who made the last status change, by name.</summary>
    public string? LastChangeBy { get; init; }
}

/// <summary>A person's account on the pager.</summary>
public sealed record PagerUser(string Id, string Name, string Email);

/// <summary>A note or a status update on an incident's timeline: its id (its webhook carries the same) and text.</summary>
public sealed record PagerNote(string Id, string Text);

/// <summary>
/// Who or what opened an incident, from its trigger log entry: a user (<see cref="IsUser"/>, with their pager user id),
/// or a service or integration (an Events API alert, an e-mail, a monitoring tool).
/// </summary>
public sealed record PagerTrigger(string AgentType, string? AgentId, string? AgentName)
{
    public bool IsUser => AgentType is "user" or "user_reference";
}

/// <summary>
/// The paging capability (PagerDuty implements it). Reads tell the domain how incidents stand; writes act as a person
/// (<c>fromEmail</c>, their pager account's e-mail) or, with null, as the bot's own pager user. Writes are absolute
/// (acknowledge, resolve, escalate to level n), so repeating one changes nothing more. Failures come back as
/// <see cref="PortException"/> with codes such as <c>NotFound</c>, <c>AlreadyResolved</c>, <c>RequesterNotFound</c>,
/// <c>RateLimited</c>; a pager that is not configured answers <c>NotConfigured</c>.
/// </summary>
public interface IPager
{
    /// <summary>The incident (without its level), or null when there is none with that id.</summary>
    Task<PagerIncident?> GetIncidentAsync(string incidentId, CancellationToken cancellationToken);

    /// <summary>The incident with its escalation level and next escalation time, or null when there is none.</summary>
    Task<PagerIncident?> GetIncidentWithLevelAsync(string incidentId, CancellationToken cancellationToken);

    /// <summary>Who opened the incident (its trigger log entry), or null when the pager does not say.</summary>
    Task<PagerTrigger?> GetTriggerAsync(string incidentId, CancellationToken cancellationToken);

    /// <summary>Every triggered or acknowledged incident, with levels.</summary>
    Task<IReadOnlyList<PagerIncident>> ListOpenIncidentsAsync(CancellationToken cancellationToken);

    /// <summary>The pager user with this e-mail, or null when there is none.</summary>
    Task<PagerUser?> FindUserAsync(string email, CancellationToken cancellationToken);

    /// <summary>Acknowledges as <paramref name="fromEmail"/>'s pager user; null acts as the bot.</summary>
    Task<PagerIncident> AcknowledgeAsync(string incidentId, string? fromEmail, CancellationToken cancellationToken);

    Task<PagerIncident> ResolveAsync(string incidentId, string fromEmail, CancellationToken cancellationToken);

    /// <summary>Escalates to <paramref name="level"/> (1-based); <paramref name="fromEmail"/> null acts as the bot.</summary>
    Task<PagerIncident> EscalateAsync(string incidentId, int level, string? fromEmail, CancellationToken cancellationToken);

    /// <summary>Snoozes an acknowledged incident: it is triggered again after <paramref name="duration"/>.</summary>
    Task<PagerIncident> SnoozeAsync(string incidentId, TimeSpan duration, string fromEmail, CancellationToken cancellationToken);

    /// <summary>Adds a note to the incident's timeline, as <paramref name="fromEmail"/>'s pager user.</summary>
    Task<PagerNote> AddNoteAsync(string incidentId, string text, string fromEmail, CancellationToken cancellationToken);

    /// <summary>Publishes a status update (to the incident's stakeholders and subscribers), as <paramref name="fromEmail"/>'s pager user.</summary>
    Task<PagerNote> PublishStatusUpdateAsync(string incidentId, string message, string fromEmail, CancellationToken cancellationToken);

    /// <summary>Assigns an open incident to <paramref name="assignee"/> directly (the pager does not escalate a direct assignment).</summary>
    Task<PagerIncident> AssignAsync(string incidentId, PagerUser assignee, string fromEmail, CancellationToken cancellationToken);
}

/// <summary>The pager when PagerDuty is not configured: every call says so.</summary>
public sealed class NoPager : IPager
{
    private static PortException NotConfigured() =>
        new("NotConfigured", "PagerDuty is not configured for this bot (PagerDuty__ApiToken)", transient: false);

    public Task<PagerIncident?> GetIncidentAsync(string incidentId, CancellationToken cancellationToken) => throw NotConfigured();
    public Task<PagerIncident?> GetIncidentWithLevelAsync(string incidentId, CancellationToken cancellationToken) => throw NotConfigured();
    public Task<PagerTrigger?> GetTriggerAsync(string incidentId, CancellationToken cancellationToken) => throw NotConfigured();
    public Task<IReadOnlyList<PagerIncident>> ListOpenIncidentsAsync(CancellationToken cancellationToken) => throw NotConfigured();
    public Task<PagerUser?> FindUserAsync(string email, CancellationToken cancellationToken) => throw NotConfigured();
    public Task<PagerIncident> AcknowledgeAsync(string incidentId, string? fromEmail, CancellationToken cancellationToken) => throw NotConfigured();
    public Task<PagerIncident> ResolveAsync(string incidentId, string fromEmail, CancellationToken cancellationToken) => throw NotConfigured();
    public Task<PagerIncident> EscalateAsync(string incidentId, int level, string? fromEmail, CancellationToken cancellationToken) => throw NotConfigured();
    public Task<PagerIncident> SnoozeAsync(string incidentId, TimeSpan duration, string fromEmail, CancellationToken cancellationToken) => throw NotConfigured();
    public Task<PagerNote> AddNoteAsync(string incidentId, string text, string fromEmail, CancellationToken cancellationToken) => throw NotConfigured();
    public Task<PagerNote> PublishStatusUpdateAsync(string incidentId, string message, string fromEmail, CancellationToken cancellationToken) => throw NotConfigured();
    public Task<PagerIncident> AssignAsync(string incidentId, PagerUser assignee, string fromEmail, CancellationToken cancellationToken) => throw NotConfigured();
}
