namespace Bot.Integrations.PagerDuty.Rest;

// The envelopes of PagerDuty's REST API v2: single objects are wrapped in their type name, lists carry
// classic pagination (limit, offset, more, total). Only the facade uses these.

public sealed record IncidentEnvelope(PagerDutyIncident? Incident);

public sealed record NoteEnvelope(PagerDutyNote? Note);

public sealed record EscalationPolicyEnvelope(PagerDutyEscalationPolicy? EscalationPolicy);

/// <summary>The pagination fields every classic list answer has.</summary>
public abstract record PagedList
{
    public int Limit { get; init; }
    public int Offset { get; init; }
    public bool More { get; init; }
    public int? Total { get; init; }
}

public sealed record IncidentList : PagedList
{
    public IReadOnlyList<PagerDutyIncident>? Incidents { get; init; }
}

public sealed record OnCallList : PagedList
{
    public IReadOnlyList<PagerDutyOnCall>? Oncalls { get; init; }
}

public sealed record LogEntryList : PagedList
{
    public IReadOnlyList<PagerDutyLogEntry>? LogEntries { get; init; }
}

/// <summary>One line of an incident's log: its type (<c>trigger_log_entry</c> …), when, and who or what acted (the agent).</summary>
public sealed record PagerDutyLogEntry
{
    public const string Trigger = "trigger_log_entry";

    public string Id { get; init; } = "";
    public string? Type { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public PagerDutyReference? Agent { get; init; }
}

public sealed record UserList : PagedList
{
    public IReadOnlyList<PagerDutyUser>? Users { get; init; }
}

/// <summary>The body of <c>PUT /incidents/{id}</c>: <c>{"incident":{"type":"incident_reference", …}}</c>.</summary>
public sealed record UpdateIncidentRequest(IncidentUpdate Incident);

/// <summary>Only the fields set are sent. Each is an absolute value, so sending it twice changes nothing more.</summary>
public sealed record IncidentUpdate
{
    public string Type { get; init; } = "incident_reference";
    public string? Status { get; init; }
    public string? Resolution { get; init; }
    public int? EscalationLevel { get; init; }
    public IReadOnlyList<AssignmentUpdate>? Assignments { get; init; }
}

public sealed record AssignmentUpdate(UserReference Assignee);

public sealed record UserReference(string Id)
{
    public string Type { get; init; } = "user_reference";
}

/// <summary>The body of <c>POST /incidents/{id}/snooze</c>: the duration in seconds.</summary>
public sealed record SnoozeRequest(int Duration);

/// <summary>The body of <c>POST /incidents/{id}/notes</c>.</summary>
public sealed record CreateNoteRequest(NoteContent Note);

public sealed record NoteContent(string Content);

/// <summary>The body of <c>POST /incidents/{id}/status_updates</c>.</summary>
public sealed record StatusUpdateRequest(string Message);

public sealed record StatusUpdateEnvelope(PagerDutyStatusUpdate? StatusUpdate);

/// <summary>PagerDuty's error body: <c>{"error":{"code":2001,"message":"…","errors":["…"]}}</c>.</summary>
public sealed record ErrorEnvelope(ErrorBody? Error);

public sealed record ErrorBody
{
    public int? Code { get; init; }
    public string? Message { get; init; }
    public IReadOnlyList<string>? Errors { get; init; }
}
