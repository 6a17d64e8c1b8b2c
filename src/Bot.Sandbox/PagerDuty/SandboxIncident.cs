namespace Bot.Sandbox.PagerDuty;

/// <summary>Who did something to an incident: a user, a service (its integration), or PagerDuty itself (null).</summary>
public sealed record PagerDutyAgent(string Id, string Type, string Summary)
{
    public static PagerDutyAgent Of(SandboxPagerDutyUser user) => new(user.Id, "user_reference", user.Name);
    public static PagerDutyAgent Of(SandboxPagerDutyService service) => new(service.Id, "service_reference", service.Name);
}

public sealed record SandboxNote(string Id, SandboxPagerDutyUser User, string Content, DateTimeOffset CreatedAt);

/// <summary>An incident of the simulated account. Mutated only under <see cref="SandboxPagerDuty"/>'s lock.</summary>
internal sealed class SandboxIncident
{
    public required string Id { get; init; }
    public required long Number { get; init; }
    public required string Title { get; init; }
    public required SandboxPagerDutyService Service { get; init; }
    public required string IncidentKey { get; init; }
    public required string Urgency { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Who or what opened it: the service's integration (an Events API alert) or a user (the REST API, the web app).</summary>
    public required PagerDutyAgent TriggeredBy { get; init; }
    public string Status { get; set; } = "triggered";
    /// <summary>The escalation policy level it is on (1-based).</summary>
    public int Level { get; set; } = 1;
    public string AssignedVia { get; set; } = "escalation_policy";
    public List<(DateTimeOffset At, SandboxPagerDutyUser User)> Assignments { get; } = [];
    public List<(DateTimeOffset At, SandboxPagerDutyUser User)> Acknowledgements { get; } = [];
    public List<SandboxNote> Notes { get; } = [];
    public List<SandboxNote> StatusUpdates { get; } = [];
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset LastStatusChangeAt { get; set; }
    public PagerDutyAgent? LastStatusChangeBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    /// <summary>When the policy escalates it to the next level by itself (triggered, not on the last level, not directly assigned).</summary>
    public DateTimeOffset? EscalateAt { get; set; }
    /// <summary>When an acknowledgement runs out (the service's acknowledgement timeout, or a snooze).</summary>
    public DateTimeOffset? UnacknowledgeAt { get; set; }
    public int AlertCount { get; set; } = 1;

    public bool IsOpen => Status != "resolved";

    public void AssignTo(DateTimeOffset at, params SandboxPagerDutyUser[] users)
    {
        Assignments.Clear();
        foreach (var user in users) Assignments.Add((at, user));
    }
}

/// <summary>A read-only snapshot of an incident, for the control API and tests.</summary>
public sealed record SandboxIncidentView(
    string Id,
    long Number,
    string Title,
    string Service,
    string IncidentKey,
    string Status,
    int Level,
    IReadOnlyList<string> Assignees,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EscalateAt,
    DateTimeOffset? UnacknowledgeAt,
    IReadOnlyList<SandboxNote> Notes);
