namespace Bot.Integrations.PagerDuty.Webhooks;

/// <summary>The V3 event types the bot acts on; every other type is accepted and ignored.</summary>
public enum PagerDutyEventKind
{
    /// <summary>A type the bot does not act on (service.updated, incident.workflow.started, …).</summary>
    Other,
    Triggered,
    Acknowledged,
    Unacknowledged,
    Escalated,
    Reassigned,
    Delegated,
    Resolved,
    Reopened,
    PriorityUpdated,
    Annotated,
    ResponderAdded,
    /// <summary>A responder accepted or declined the request to help.</summary>
    ResponderReplied,
    /// <summary>A status update was published (to stakeholders and subscribers).</summary>
    StatusUpdatePublished,
    /// <summary><c>pagey.ping</c>: PagerDuty testing the subscription.</summary>
    Ping,
}

public static class PagerDutyEventTypes
{
    public const string Ping = "pagey.ping";

    private static readonly Dictionary<string, PagerDutyEventKind> Kinds = new(StringComparer.Ordinal)
    {
        ["incident.triggered"] = PagerDutyEventKind.Triggered,
        ["incident.acknowledged"] = PagerDutyEventKind.Acknowledged,
        ["incident.unacknowledged"] = PagerDutyEventKind.Unacknowledged,
        ["incident.escalated"] = PagerDutyEventKind.Escalated,
        ["incident.reassigned"] = PagerDutyEventKind.Reassigned,
        ["incident.delegated"] = PagerDutyEventKind.Delegated,
        ["incident.resolved"] = PagerDutyEventKind.Resolved,
        ["incident.reopened"] = PagerDutyEventKind.Reopened,
        ["incident.priority_updated"] = PagerDutyEventKind.PriorityUpdated,
        ["incident.annotated"] = PagerDutyEventKind.Annotated,
        ["incident.responder.added"] = PagerDutyEventKind.ResponderAdded,
        ["incident.responder.replied"] = PagerDutyEventKind.ResponderReplied,
        ["incident.status_update_published"] = PagerDutyEventKind.StatusUpdatePublished,
        [Ping] = PagerDutyEventKind.Ping,
    };

    /// <summary>The event types a webhook subscription for the bot should include.</summary>
    public static IReadOnlyCollection<string> Handled => Kinds.Keys;

    public static PagerDutyEventKind KindOf(string? eventType) =>
        eventType is not null && Kinds.TryGetValue(eventType, out var kind) ? kind : PagerDutyEventKind.Other;

    public static string? TypeOf(PagerDutyEventKind kind) => Kinds.FirstOrDefault(k => k.Value == kind).Key;
}
