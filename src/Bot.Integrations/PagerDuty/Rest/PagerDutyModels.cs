using System.Text.Json.Serialization;

namespace Bot.Integrations.PagerDuty.Rest;

/// <summary>
/// A reference to another PagerDuty object (<c>user_reference</c>, <c>service_reference</c>,
/// <c>escalation_policy_reference</c>, <c>priority_reference</c> …). <see cref="Summary"/> is its display name.
/// </summary>
public sealed record PagerDutyReference
{
    public string Id { get; init; } = "";
    public string? Type { get; init; }
    public string? Summary { get; init; }
    public string? Self { get; init; }
    public string? HtmlUrl { get; init; }
    /// <summary>Present on full objects (e.g. a priority's <c>name</c>).</summary>
    public string? Name { get; init; }
    /// <summary>Present on full user objects (<c>include[]=users</c>).</summary>
    public string? Email { get; init; }

    /// <summary>The best name to show: the summary, else the name, else the id.</summary>
    [JsonIgnore] public string DisplayName => Summary ?? Name ?? Id;
}

/// <summary>An incident's status as PagerDuty names it.</summary>
public enum IncidentStatus { Triggered, Acknowledged, Resolved }

public static class IncidentStatuses
{
    public static string ToWire(this IncidentStatus status) => status switch
    {
        IncidentStatus.Triggered => "triggered",
        IncidentStatus.Acknowledged => "acknowledged",
        _ => "resolved",
    };

    public static IncidentStatus? Parse(string? wire) => wire switch
    {
        "triggered" => IncidentStatus.Triggered,
        "acknowledged" => IncidentStatus.Acknowledged,
        "resolved" => IncidentStatus.Resolved,
        _ => null,
    };
}

/// <summary>
/// An incident from the REST API v2 (<c>GET /incidents/{id}</c>). The API has no escalation level on the
/// incident: <see cref="EscalationLevels"/> derives it from the assignments and the policy's on-calls.
/// Lists are never null (a missing or null list reads as empty).
/// </summary>
public sealed record PagerDutyIncident
{
    private readonly IReadOnlyList<PagerDutyAssignment>? _assignments;
    private readonly IReadOnlyList<PagerDutyAcknowledgement>? _acknowledgements;
    private readonly IReadOnlyList<PagerDutyPendingAction>? _pendingActions;
    private readonly IReadOnlyList<PagerDutyReference>? _teams;

    public string Id { get; init; } = "";
    public string? Type { get; init; }
    public string? Summary { get; init; }
    public string? Self { get; init; }
    public string? HtmlUrl { get; init; }
    public long? IncidentNumber { get; init; }
    public string? Title { get; init; }
    /// <summary><c>triggered</c>, <c>acknowledged</c> or <c>resolved</c>; see <see cref="KnownStatus"/>.</summary>
    public string? Status { get; init; }
    /// <summary><c>high</c> or <c>low</c>.</summary>
    public string? Urgency { get; init; }
    public string? IncidentKey { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public DateTimeOffset? LastStatusChangeAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public PagerDutyReference? LastStatusChangeBy { get; init; }
    public PagerDutyReference? Service { get; init; }
    public PagerDutyReference? EscalationPolicy { get; init; }
    public PagerDutyReference? Priority { get; init; }
    /// <summary><c>escalation_policy</c> or <c>direct_assignment</c> (which never escalates).</summary>
    public string? AssignedVia { get; init; }

    /// <summary>Who the incident is assigned to now (empty once resolved).</summary>
    public IReadOnlyList<PagerDutyAssignment> Assignments { get => _assignments ?? []; init => _assignments = value; }
    public IReadOnlyList<PagerDutyAcknowledgement> Acknowledgements { get => _acknowledgements ?? []; init => _acknowledgements = value; }
    /// <summary>What PagerDuty will do by itself and when: <c>escalate</c>, <c>unacknowledge</c>, <c>resolve</c>, <c>urgency_change</c>.</summary>
    public IReadOnlyList<PagerDutyPendingAction> PendingActions { get => _pendingActions ?? []; init => _pendingActions = value; }
    public IReadOnlyList<PagerDutyReference> Teams { get => _teams ?? []; init => _teams = value; }

    [JsonIgnore] public IncidentStatus? KnownStatus => IncidentStatuses.Parse(Status);

    /// <summary>When PagerDuty's own policy escalates next, if it will.</summary>
    [JsonIgnore] public DateTimeOffset? NextEscalationAt => PendingActions.Where(a => a.Type == PagerDutyPendingAction.Escalate).Min(a => a.At);
}

public sealed record PagerDutyAssignment
{
    public DateTimeOffset? At { get; init; }
    public PagerDutyReference? Assignee { get; init; }
}

public sealed record PagerDutyAcknowledgement
{
    public DateTimeOffset? At { get; init; }
    public PagerDutyReference? Acknowledger { get; init; }
}

public sealed record PagerDutyPendingAction
{
    public const string Escalate = "escalate";
    public const string Unacknowledge = "unacknowledge";
    public const string Resolve = "resolve";
    public const string UrgencyChange = "urgency_change";

    public string Type { get; init; } = "";
    public DateTimeOffset? At { get; init; }
}

/// <summary>One on-call: a user on an escalation policy's level, from <see cref="Start"/> to <see cref="End"/> (null: permanently).</summary>
public sealed record PagerDutyOnCall
{
    public PagerDutyReference? User { get; init; }
    public PagerDutyReference? Schedule { get; init; }
    public PagerDutyReference? EscalationPolicy { get; init; }
    /// <summary>1 is the first level.</summary>
    public int EscalationLevel { get; init; }
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
}

/// <summary>A PagerDuty user (from <c>GET /users</c>).</summary>
public sealed record PagerDutyUser
{
    public string Id { get; init; } = "";
    public string? Type { get; init; }
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? Summary { get; init; }
    public string? HtmlUrl { get; init; }
    public string? TimeZone { get; init; }
    public string? Role { get; init; }
}

/// <summary>An escalation policy: its rules in order (rule 0 is level 1), and how often it loops.</summary>
public sealed record PagerDutyEscalationPolicy
{
    private readonly IReadOnlyList<PagerDutyEscalationRule>? _rules;

    public string Id { get; init; } = "";
    public string? Type { get; init; }
    public string? Name { get; init; }
    public string? Summary { get; init; }
    public string? Description { get; init; }
    public string? HtmlUrl { get; init; }
    public int NumLoops { get; init; }
    public IReadOnlyList<PagerDutyEscalationRule> EscalationRules { get => _rules ?? []; init => _rules = value; }
}

public sealed record PagerDutyEscalationRule
{
    private readonly IReadOnlyList<PagerDutyReference>? _targets;

    public string? Id { get; init; }
    /// <summary>How long the level has before the incident escalates to the next one.</summary>
    public int EscalationDelayInMinutes { get; init; }
    /// <summary><c>user_reference</c> or <c>schedule_reference</c> targets.</summary>
    public IReadOnlyList<PagerDutyReference> Targets { get => _targets ?? []; init => _targets = value; }
}

/// <summary>A note on an incident's timeline.</summary>
public sealed record PagerDutyNote
{
    public string? Id { get; init; }
    public PagerDutyReference? User { get; init; }
    public string? Content { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>A status update on an incident (sent to its stakeholders and subscribers).</summary>
public sealed record PagerDutyStatusUpdate
{
    public string? Id { get; init; }
    public string? Message { get; init; }
    public PagerDutyReference? Sender { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
}
