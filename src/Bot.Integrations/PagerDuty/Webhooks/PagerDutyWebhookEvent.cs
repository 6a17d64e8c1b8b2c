using Bot.Integrations.PagerDuty.Rest;

namespace Bot.Integrations.PagerDuty.Webhooks;

/// <summary>
/// One V3 webhook event (<c>{"event":{…}}</c>). Missing fields are null: the parser never fails on a
/// field it does not need. <see cref="Incident"/>, <see cref="Note"/> and <see cref="Responder"/> are the
/// typed views of <c>event.data</c> for data types <c>incident</c>, <c>incident_note</c> and
/// <c>incident_responder</c>. Webhooks carry no escalation level: read it with
/// <see cref="PagerDutyClient.GetIncidentEscalationAsync"/>.
/// </summary>
public sealed record PagerDutyWebhookEvent
{
    /// <summary><c>event.id</c>: unique per event (the same across delivery attempts).</summary>
    public required string Id { get; init; }
    /// <summary><c>event.event_type</c>, e.g. <c>incident.acknowledged</c>.</summary>
    public required string EventType { get; init; }
    public PagerDutyEventKind Kind => PagerDutyEventTypes.KindOf(EventType);
    public string? ResourceType { get; init; }
    public DateTimeOffset? OccurredAt { get; init; }
    /// <summary>Who or what caused it (a <c>user_reference</c>, <c>service_reference</c> …); null when PagerDuty did it by itself.</summary>
    public PagerDutyReference? Agent { get; init; }
    /// <summary><c>event.client.name</c>, e.g. "PagerDuty".</summary>
    public string? ClientName { get; init; }
    /// <summary><c>event.data.type</c>: <c>incident</c>, <c>incident_note</c>, <c>incident_responder</c>, <c>ping</c> …</summary>
    public string? DataType { get; init; }
    public WebhookIncident? Incident { get; init; }
    public WebhookNote? Note { get; init; }
    public WebhookResponder? Responder { get; init; }
    /// <summary><c>event.data</c> of type <c>incident_status_update</c> (<c>incident.status_update_published</c>).</summary>
    public WebhookStatusUpdate? StatusUpdate { get; init; }
    /// <summary><c>event.data.message</c> of a <c>pagey.ping</c>.</summary>
    public string? PingMessage { get; init; }

    /// <summary>The incident this event is about, whatever the data type.</summary>
    public string? IncidentId => Incident?.Id ?? Note?.Incident?.Id ?? Responder?.Incident?.Id ?? StatusUpdate?.Incident?.Id;
}

/// <summary><c>event.data</c> of type <c>incident</c>: the incident as it is after the change.</summary>
public sealed record WebhookIncident
{
    public required string Id { get; init; }
    public long? Number { get; init; }
    public string? Title { get; init; }
    /// <summary><c>triggered</c>, <c>acknowledged</c> or <c>resolved</c>; see <see cref="KnownStatus"/>.</summary>
    public string? Status { get; init; }
    public IncidentStatus? KnownStatus => IncidentStatuses.Parse(Status);
    public string? Urgency { get; init; }
    public string? IncidentKey { get; init; }
    public string? HtmlUrl { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? ReopenedAt { get; init; }
    public PagerDutyReference? Service { get; init; }
    public PagerDutyReference? EscalationPolicy { get; init; }
    public PagerDutyReference? Priority { get; init; }
    public IReadOnlyList<PagerDutyReference> Assignees { get; init; } = [];
    public IReadOnlyList<PagerDutyReference> Teams { get; init; } = [];
    public string? IncidentType { get; init; }
    public string? ResolveReason { get; init; }
}

/// <summary><c>event.data</c> of type <c>incident_note</c> (<c>incident.annotated</c>).</summary>
public sealed record WebhookNote
{
    public string? Id { get; init; }
    public PagerDutyReference? Incident { get; init; }
    public string? Content { get; init; }
    public bool Trimmed { get; init; }
}

/// <summary><c>event.data</c> of type <c>incident_responder</c> (<c>incident.responder.added</c>).</summary>
public sealed record WebhookResponder
{
    public PagerDutyReference? Incident { get; init; }
    public PagerDutyReference? User { get; init; }
    public PagerDutyReference? EscalationPolicy { get; init; }
    public string? Message { get; init; }
    public string? State { get; init; }
}

/// <summary><c>event.data</c> of type <c>incident_status_update</c>: the update's id, its message and its incident.</summary>
public sealed record WebhookStatusUpdate
{
    public string? Id { get; init; }
    public PagerDutyReference? Incident { get; init; }
    public string? Message { get; init; }
}
