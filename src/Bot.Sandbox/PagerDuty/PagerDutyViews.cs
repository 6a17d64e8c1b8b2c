using System.Text.Json.Nodes;

namespace Bot.Sandbox.PagerDuty;

/// <summary>The simulated objects in PagerDuty's JSON shapes: the REST API's and the V3 webhooks'.</summary>
internal static class PagerDutyViews
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static string PreciseTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Reference(string id, string type, string summary, string kind) => new()
    {
        ["id"] = id,
        ["type"] = type,
        ["summary"] = summary,
        ["self"] = $"{PagerDutyDirectory.ApiBase}/{kind}/{id}",
        ["html_url"] = $"{PagerDutyDirectory.WebBase}/{kind}/{id}",
    };

    public static JsonObject UserReference(SandboxPagerDutyUser user) => Reference(user.Id, "user_reference", user.Name, "users");

    public static JsonObject ServiceReference(SandboxPagerDutyService service) => Reference(service.Id, "service_reference", service.Name, "services");

    public static JsonObject PolicyReference() => Reference(PagerDutyDirectory.PolicyId, "escalation_policy_reference", PagerDutyDirectory.PolicyName, "escalation_policies");

    public static JsonObject TeamReference() => Reference(PagerDutyDirectory.TeamId, "team_reference", PagerDutyDirectory.TeamName, "teams");

    public static JsonObject TeamReference(SandboxPagerDutyService service) => Reference(service.TeamId, "team_reference", service.TeamName, "teams");

    public static JsonObject? Agent(PagerDutyAgent? agent) => agent is null ? null : Reference(agent.Id, agent.Type, agent.Summary, agent.Type == "user_reference" ? "users" : "services");

    public static JsonObject User(SandboxPagerDutyUser user) => new()
    {
        ["id"] = user.Id,
        ["type"] = "user",
        ["name"] = user.Name,
        ["email"] = user.Email,
        ["summary"] = user.Name,
        ["job_title"] = user.JobTitle,
        ["time_zone"] = "Etc/UTC",
        ["role"] = "user",
        ["self"] = $"{PagerDutyDirectory.ApiBase}/users/{user.Id}",
        ["html_url"] = $"{PagerDutyDirectory.WebBase}/users/{user.Id}",
    };

    /// <summary>An incident as <c>GET /incidents/{id}</c> returns it.</summary>
    public static JsonObject Incident(SandboxIncident i) => new()
    {
        ["id"] = i.Id,
        ["type"] = "incident",
        ["summary"] = $"[#{i.Number}] {i.Title}",
        ["self"] = $"{PagerDutyDirectory.ApiBase}/incidents/{i.Id}",
        ["html_url"] = $"{PagerDutyDirectory.WebBase}/incidents/{i.Id}",
        ["incident_number"] = i.Number,
        ["title"] = i.Title,
        ["created_at"] = Time(i.CreatedAt),
        ["updated_at"] = Time(i.UpdatedAt),
        ["status"] = i.Status,
        ["incident_key"] = i.IncidentKey,
        ["service"] = ServiceReference(i.Service),
        ["assignments"] = new JsonArray(i.Assignments.Select(a => (JsonNode)new JsonObject { ["at"] = Time(a.At), ["assignee"] = UserReference(a.User) }).ToArray()),
        ["assigned_via"] = i.AssignedVia,
        ["last_status_change_at"] = Time(i.LastStatusChangeAt),
        ["last_status_change_by"] = Agent(i.LastStatusChangeBy),
        ["resolved_at"] = i.ResolvedAt is { } resolved ? Time(resolved) : null,
        ["alert_counts"] = new JsonObject { ["all"] = i.AlertCount, ["triggered"] = i.IsOpen ? i.AlertCount : 0, ["resolved"] = i.IsOpen ? 0 : i.AlertCount },
        ["is_mergeable"] = true,
        ["incident_type"] = new JsonObject { ["name"] = "incident_default" },
        ["escalation_policy"] = PolicyReference(),
        ["teams"] = new JsonArray(TeamReference(i.Service)),
        ["pending_actions"] = new JsonArray(PendingActions(i).ToArray()),
        ["acknowledgements"] = new JsonArray(i.Acknowledgements.Select(a => (JsonNode)new JsonObject { ["at"] = Time(a.At), ["acknowledger"] = UserReference(a.User) }).ToArray()),
        ["priority"] = null,
        ["urgency"] = i.Urgency,
        ["resolve_reason"] = null,
        ["conference_bridge"] = null,
    };

    private static IEnumerable<JsonNode> PendingActions(SandboxIncident i)
    {
        if (i.Status == "triggered" && i.EscalateAt is { } escalate) yield return new JsonObject { ["type"] = "escalate", ["at"] = Time(escalate) };
        if (i.Status == "acknowledged" && i.UnacknowledgeAt is { } unack) yield return new JsonObject { ["type"] = "unacknowledge", ["at"] = Time(unack) };
    }

    /// <summary>
    /// <c>GET /incidents/{id}/log_entries</c>: the <c>trigger_log_entry</c> with its agent (the service's integration for an
    /// Events API alert, the user for one opened through the REST API), then each acknowledgement, then the resolution.
    /// </summary>
    public static IEnumerable<JsonObject> LogEntries(SandboxIncident i)
    {
        JsonObject Entry(string type, string id, DateTimeOffset at, PagerDutyAgent? agent, string channel) => new()
        {
            ["id"] = id,
            ["type"] = type,
            ["summary"] = type.Replace("_log_entry", "", StringComparison.Ordinal),
            ["created_at"] = Time(at),
            ["agent"] = Agent(agent),
            ["channel"] = new JsonObject { ["type"] = channel },
            ["incident"] = new JsonObject { ["id"] = i.Id, ["type"] = "incident_reference" },
        };
        yield return Entry("trigger_log_entry", $"R{i.Id}T", i.CreatedAt, i.TriggeredBy, i.TriggeredBy.Type == "user_reference" ? "web_trigger" : "api");
        for (var n = 0; n < i.Acknowledgements.Count; n++)
            yield return Entry("acknowledge_log_entry", $"R{i.Id}A{n}", i.Acknowledgements[n].At, PagerDutyAgent.Of(i.Acknowledgements[n].User), "api");
        if (i.ResolvedAt is { } resolved) yield return Entry("resolve_log_entry", $"R{i.Id}R", resolved, i.LastStatusChangeBy, "api");
    }

    /// <summary>An incident as V3 webhooks carry it in <c>event.data</c> (type <c>incident</c>).</summary>
    public static JsonObject WebhookIncident(SandboxIncident i) => new()
    {
        ["id"] = i.Id,
        ["type"] = "incident",
        ["self"] = $"{PagerDutyDirectory.ApiBase}/incidents/{i.Id}",
        ["html_url"] = $"{PagerDutyDirectory.WebBase}/incidents/{i.Id}",
        ["number"] = i.Number,
        ["status"] = i.Status,
        ["incident_key"] = i.IncidentKey,
        ["created_at"] = Time(i.CreatedAt),
        ["title"] = i.Title,
        ["service"] = ServiceReference(i.Service),
        ["assignees"] = new JsonArray(i.Assignments.Select(a => (JsonNode)UserReference(a.User)).ToArray()),
        ["escalation_policy"] = PolicyReference(),
        ["teams"] = new JsonArray(TeamReference(i.Service)),
        ["priority"] = null,
        ["urgency"] = i.Urgency,
        ["conference_bridge"] = null,
        ["resolve_reason"] = null,
        ["incident_type"] = new JsonObject { ["name"] = "incident_default" },
    };

    public static JsonObject Note(SandboxNote note) => new()
    {
        ["id"] = note.Id,
        ["user"] = UserReference(note.User),
        ["channel"] = new JsonObject { ["summary"] = "The PagerDuty website or APIs" },
        ["content"] = note.Content,
        ["created_at"] = Time(note.CreatedAt),
    };

    /// <summary><c>event.data</c> of an <c>incident.annotated</c> event.</summary>
    public static JsonObject WebhookNote(SandboxIncident i, SandboxNote note) => new()
    {
        ["incident"] = new JsonObject
        {
            ["html_url"] = $"{PagerDutyDirectory.WebBase}/incidents/{i.Id}",
            ["id"] = i.Id,
            ["self"] = $"{PagerDutyDirectory.ApiBase}/incidents/{i.Id}",
            ["summary"] = i.Title,
            ["type"] = "incident_reference",
        },
        ["id"] = note.Id,
        ["content"] = note.Content,
        ["trimmed"] = false,
        ["type"] = "incident_note",
    };

    /// <summary>A status update as <c>POST /incidents/{id}/status_updates</c> answers it.</summary>
    public static JsonObject StatusUpdate(SandboxNote update) => new()
    {
        ["id"] = update.Id,
        ["message"] = update.Content,
        ["sender"] = UserReference(update.User),
        ["created_at"] = Time(update.CreatedAt),
    };

    /// <summary><c>event.data</c> of an <c>incident.status_update_published</c> event.</summary>
    public static JsonObject WebhookStatusUpdate(SandboxIncident i, SandboxNote update) => new()
    {
        ["id"] = update.Id,
        ["type"] = "incident_status_update",
        ["message"] = update.Content,
        ["sender"] = UserReference(update.User),
        ["incident"] = new JsonObject
        {
            ["html_url"] = $"{PagerDutyDirectory.WebBase}/incidents/{i.Id}",
            ["id"] = i.Id,
            ["self"] = $"{PagerDutyDirectory.ApiBase}/incidents/{i.Id}",
            ["summary"] = i.Title,
            ["type"] = "incident_reference",
        },
    };

    public static JsonObject EscalationPolicy() => new()
    {
        ["id"] = PagerDutyDirectory.PolicyId,
        ["type"] = "escalation_policy",
        ["name"] = PagerDutyDirectory.PolicyName,
        ["summary"] = PagerDutyDirectory.PolicyName,
        ["description"] = "The SecureBase ops guide's escalation path",
        ["self"] = $"{PagerDutyDirectory.ApiBase}/escalation_policies/{PagerDutyDirectory.PolicyId}",
        ["html_url"] = $"{PagerDutyDirectory.WebBase}/escalation_policies/{PagerDutyDirectory.PolicyId}",
        ["num_loops"] = 0,
        ["on_call_handoff_notifications"] = "if_has_services",
        ["escalation_rules"] = new JsonArray(PagerDutyDirectory.Levels.Select(l => (JsonNode)new JsonObject
        {
            ["id"] = $"PSBRUL{l.Level}",
            ["escalation_delay_in_minutes"] = (int)Math.Ceiling(l.Delay.TotalMinutes),
            ["targets"] = new JsonArray(UserReference(l.OnCall)),
        }).ToArray()),
        ["services"] = new JsonArray(PagerDutyDirectory.Services.Select(s => (JsonNode)ServiceReference(s)).ToArray()),
        ["teams"] = new JsonArray(TeamReference()),
    };

    /// <summary>Each level's on-call, as <c>GET /oncalls</c> lists them (direct user targets: no schedule, permanent).</summary>
    /// <summary>A level's on-call: <paramref name="since"/> is the start of their shift (null: on call since the account began).</summary>
    public static JsonObject OnCall(SandboxEscalationLevel level, SandboxPagerDutyUser user, DateTimeOffset? since, bool fullUser) => new()
    {
        ["escalation_policy"] = PolicyReference(),
        ["escalation_level"] = level.Level,
        ["schedule"] = null,
        ["user"] = fullUser ? User(user) : UserReference(user),
        ["start"] = since?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["end"] = null,
    };
}
