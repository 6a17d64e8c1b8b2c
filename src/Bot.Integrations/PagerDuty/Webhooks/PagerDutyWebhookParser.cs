using System.Globalization;
using System.Text.Json;
using Bot.Integrations.PagerDuty.Rest;

namespace Bot.Integrations.PagerDuty.Webhooks;

/// <summary>
/// Reads V3 webhook bodies. Tolerant by design: PagerDuty adds fields, sends <c>null</c> for absent
/// objects and is not always strict about types (a conference number may arrive as a number), so each
/// field is read if it has the expected shape and left null otherwise. Only a body that is not a JSON
/// object with an <c>event</c> object, or an event without <c>id</c> or <c>event_type</c>, is refused.
/// </summary>
public static class PagerDutyWebhookParser
{
    /// <summary>The event, or null with <paramref name="error"/> saying what is missing.</summary>
    public static PagerDutyWebhookEvent? Parse(ReadOnlySpan<byte> body, out string? error)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            error = "The body is not JSON.";
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("event", out var ev) || ev.ValueKind != JsonValueKind.Object)
            {
                error = "The body has no 'event' object (is this a V3 webhook?).";
                return null;
            }
            var id = Text(ev, "id");
            var type = Text(ev, "event_type");
            if (id is null || type is null)
            {
                error = "The event has no 'id' or 'event_type'.";
                return null;
            }
            error = null;
            var data = Object(ev, "data");
            var dataType = data is { } d ? Text(d, "type") : null;
            return new PagerDutyWebhookEvent
            {
                Id = id,
                EventType = type,
                ResourceType = Text(ev, "resource_type"),
                OccurredAt = Time(ev, "occurred_at"),
                Agent = Reference(ev, "agent"),
                ClientName = Object(ev, "client") is { } client ? Text(client, "name") : null,
                DataType = dataType,
                Incident = data is { } i && dataType == "incident" ? IncidentOf(i) : null,
                Note = data is { } n && dataType == "incident_note" ? NoteOf(n) : null,
                Responder = data is { } r && dataType == "incident_responder" ? ResponderOf(r) : null,
                StatusUpdate = data is { } u && dataType == "incident_status_update" ? new WebhookStatusUpdate
                {
                    Id = Text(u, "id"), Incident = Reference(u, "incident"), Message = Text(u, "message"),
                } : null,
                PingMessage = type == PagerDutyEventTypes.Ping && data is { } p ? Text(p, "message") : null,
            };
        }
    }

    private static WebhookIncident? IncidentOf(JsonElement data) => Text(data, "id") is not { } id ? null : new WebhookIncident
    {
        Id = id,
        Number = Number(data, "number"),
        Title = Text(data, "title"),
        Status = Text(data, "status"),
        Urgency = Text(data, "urgency"),
        IncidentKey = Text(data, "incident_key"),
        HtmlUrl = Text(data, "html_url"),
        CreatedAt = Time(data, "created_at"),
        ReopenedAt = Time(data, "reopened_at"),
        Service = Reference(data, "service"),
        EscalationPolicy = Reference(data, "escalation_policy"),
        Priority = Reference(data, "priority"),
        Assignees = References(data, "assignees"),
        Teams = References(data, "teams"),
        IncidentType = Object(data, "incident_type") is { } t ? Text(t, "name") : null,
        ResolveReason = Object(data, "resolve_reason") is { } reason ? Text(reason, "type") : Text(data, "resolve_reason"),
    };

    private static WebhookNote NoteOf(JsonElement data) => new()
    {
        Id = Text(data, "id"),
        Incident = Reference(data, "incident"),
        Content = Text(data, "content"),
        Trimmed = data.TryGetProperty("trimmed", out var t) && t.ValueKind == JsonValueKind.True,
    };

    private static WebhookResponder ResponderOf(JsonElement data) => new()
    {
        Incident = Reference(data, "incident"),
        User = Reference(data, "user"),
        EscalationPolicy = Reference(data, "escalation_policy"),
        Message = Text(data, "message"),
        State = Text(data, "state"),
    };

    private static JsonElement? Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? Text(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    private static long? Number(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)) return n;
        return value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;
    }

    private static DateTimeOffset? Time(JsonElement parent, string name) =>
        Text(parent, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static PagerDutyReference? Reference(JsonElement parent, string name) =>
        Object(parent, name) is { } value ? ReferenceOf(value) : null;

    private static PagerDutyReference? ReferenceOf(JsonElement value) => Text(value, "id") is not { } id ? null : new PagerDutyReference
    {
        Id = id,
        Type = Text(value, "type"),
        Summary = Text(value, "summary"),
        Self = Text(value, "self"),
        HtmlUrl = Text(value, "html_url"),
        Name = Text(value, "name"),
        Email = Text(value, "email"),
    };

    private static IReadOnlyList<PagerDutyReference> References(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(ReferenceOf).OfType<PagerDutyReference>().ToList()
            : [];
}
