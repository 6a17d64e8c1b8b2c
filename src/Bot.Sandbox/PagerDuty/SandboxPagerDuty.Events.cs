using System.Text.Json;

namespace Bot.Sandbox.PagerDuty;

/// <summary>An answer of the simulated Events API: 202 with the dedup key, or 400 with PagerDuty's reasons.</summary>
public sealed record EventsAnswer(int Status, object Body);

/// <summary>
/// The Events API v2 (<c>POST /v2/enqueue</c>): <c>trigger</c> opens an incident on the routing key's service (or
/// adds an alert to the open one with the same <c>dedup_key</c>); <c>acknowledge</c> and <c>resolve</c> act on the
/// open incident with that key, and are dropped (still 202) when there is none. Validation follows the documented
/// schema: routing key, event action, and for triggers <c>payload.summary</c>, <c>source</c> and <c>severity</c>.
/// </summary>
public sealed partial class SandboxPagerDuty
{
    private static readonly string[] Severities = ["critical", "error", "warning", "info"];

    public EventsAnswer Enqueue(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException)
        {
            return Invalid("Unrecognized object", "Event object format is unrecognized", "JSON parse error");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Invalid("Unrecognized object", "Event object format is unrecognized", "JSON parse error");
            return Enqueue(root);
        }
    }

    public EventsAnswer Enqueue(JsonElement root)
    {
        var routingKey = Text(root, "routing_key");
        var action = Text(root, "event_action");
        var dedupKey = Text(root, "dedup_key");
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(routingKey)) errors.Add("'routing_key' is missing or blank");
        else if (routingKey.Length != 32) errors.Add("'routing_key' must be 32 characters");
        if (action is not ("trigger" or "acknowledge" or "resolve")) errors.Add("'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')");
        if (dedupKey is { Length: > 255 }) errors.Add("'dedup_key' is too long (maximum is 255 characters)");
        if (action is "acknowledge" or "resolve" && string.IsNullOrWhiteSpace(dedupKey)) errors.Add("'dedup_key' is missing or blank");

        string? summary = null, severity = null;
        if (action == "trigger")
        {
            if (!root.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object) errors.Add("'payload' is missing or blank");
            else
            {
                summary = Text(payload, "summary");
                severity = Text(payload, "severity");
                if (string.IsNullOrWhiteSpace(summary)) errors.Add("'payload.summary' is missing or blank");
                if (string.IsNullOrWhiteSpace(Text(payload, "source"))) errors.Add("'payload.source' is missing or blank");
                if (string.IsNullOrWhiteSpace(severity)) errors.Add("'payload.severity' is missing or blank");
                else if (!Severities.Contains(severity)) errors.Add("'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')");
            }
        }
        if (errors.Count > 0) return Invalid("invalid event", "Event object is invalid", [.. errors]);

        if (PagerDutyDirectory.ServiceByRoutingKey(routingKey) is not { } service)
            return Invalid("invalid event", "Event object is invalid", "Invalid routing key");

        if (action == "trigger")
        {
            var incident = Trigger(service, summary!.Length > 1024 ? summary[..1024] : summary, severity!, dedupKey);
            return Accepted(incident.IncidentKey);
        }

        string? openId;
        lock (_gate) openId = _incidents.Values.FirstOrDefault(i => i.IsOpen && i.Service == service && i.IncidentKey == dedupKey)?.Id;
        if (openId is not null)
        {
            var agent = PagerDutyAgent.Of(service);
            try
            {
                if (action == "resolve") Resolve(openId, agent);
                else if (Incident(openId)?.Status == "triggered") AcknowledgeBy(openId, agent);
            }
            catch (PagerDutyException)
            {
                // Resolved in the meantime: the event is dropped, as PagerDuty drops events for closed alerts.
            }
        }
        return Accepted(dedupKey!);
    }

    /// <summary>An acknowledgement by an integration (not a user): nobody is added as acknowledger.</summary>
    private void AcknowledgeBy(string id, PagerDutyAgent agent) => Change(id, agent, (incident, now, events) =>
    {
        incident.Status = "acknowledged";
        incident.EscalateAt = null;
        incident.UnacknowledgeAt = now + Scaled(incident.Service.AcknowledgementTimeout);
        events.Add("incident.acknowledged");
    });

    private static EventsAnswer Accepted(string dedupKey) => new(202, new { status = "success", message = "Event processed", dedup_key = dedupKey });

    private static EventsAnswer Invalid(string status, string message, params string[] errors) => new(400, new { status, message, errors });

    private static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
