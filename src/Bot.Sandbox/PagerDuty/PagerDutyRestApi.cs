using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Sandbox.PagerDuty;

/// <summary>
/// The simulated REST API v2 under <c>/pagerduty/</c>: incidents (list with <c>statuses[]</c>, <c>service_ids[]</c> and
/// <c>team_ids[]</c> filters, show, update, snooze, notes, status updates), on-calls,
/// users and the escalation policy. Requests need <c>Authorization: Token token=&lt;Sandbox:PagerDuty:ApiToken&gt;</c>
/// (else 401, code 2006); writes need a <c>From</c> header naming a user of the account (else 400, 2011 / 1008).
/// Lists use classic pagination (<c>limit</c> up to 100, <c>offset</c>, <c>more</c>, <c>total</c>).
/// </summary>
internal sealed class PagerDutyRestApi(SandboxPagerDuty pagerDuty)
{
    public const string Prefix = "/pagerduty";

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = (request.Path.Value ?? "")[Prefix.Length..].TrimEnd('/');
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            CheckToken(request);
            if (await pagerDuty.Failures.MeetAsync(context, events: false)) return;
            var (status, body) = await RouteAsync(request, segments);
            await PagerDutyHttp.WriteAsync(context, status, body);
        }
        catch (PagerDutyException e)
        {
            await PagerDutyHttp.WriteErrorAsync(context, e);
        }
    }

    private async Task<(int, object)> RouteAsync(HttpRequest request, string[] s) => (request.Method, s.Length) switch
    {
        ("GET", 1) when s[0] == "incidents" => (200, Page(request, "incidents", pagerDuty.IncidentsJson(Values(request, "statuses"), request.Query["incident_key"].FirstOrDefault(),
            Values(request, "service_ids"), Values(request, "team_ids")))),
        ("GET", 2) when s[0] == "incidents" => (200, new JsonObject { ["incident"] = pagerDuty.IncidentJson(s[1]) }),
        ("PUT", 2) when s[0] == "incidents" => (200, await UpdateAsync(request, s[1])),
        ("POST", 3) when s[0] == "incidents" && s[2] == "snooze" => (201, await SnoozeAsync(request, s[1])),
        ("POST", 3) when s[0] == "incidents" && s[2] == "notes" => (201, await AddNoteAsync(request, s[1])),
        ("POST", 3) when s[0] == "incidents" && s[2] == "status_updates" => (200, await StatusUpdateAsync(request, s[1])),
        ("GET", 3) when s[0] == "incidents" && s[2] == "notes" => (200, new JsonObject { ["notes"] = new JsonArray([.. pagerDuty.NotesJson(s[1])]) }),
        ("GET", 3) when s[0] == "incidents" && s[2] == "log_entries" => (200, Page(request, "log_entries", [.. pagerDuty.LogEntriesJson(s[1])])),
        ("POST", 1) when s[0] == "incidents" => (201, await CreateAsync(request)),
        ("GET", 1) when s[0] == "oncalls" => (200, Page(request, "oncalls", OnCalls(request))),
        ("GET", 1) when s[0] == "users" => (200, Page(request, "users", Users(request.Query["query"].FirstOrDefault()))),
        ("GET", 2) when s[0] == "users" => (200, new JsonObject { ["user"] = PagerDutyViews.User(PagerDutyDirectory.UserById(s[1]) ?? throw PagerDutyException.NotFound($"User {s[1]}")) }),
        ("GET", 1) when s[0] == "escalation_policies" => (200, Page(request, "escalation_policies", [PagerDutyViews.EscalationPolicy()])),
        ("GET", 2) when s[0] == "escalation_policies" => (200, s[1] == PagerDutyDirectory.PolicyId
            ? new JsonObject { ["escalation_policy"] = PagerDutyViews.EscalationPolicy() }
            : throw PagerDutyException.NotFound($"Escalation policy {s[1]}")),
        _ => throw new PagerDutyException(404, 2100, "Not Found", $"The sandbox has no {request.Method} {Prefix}/{string.Join('/', s)}."),
    };

    private void CheckToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header != "Token token=" + pagerDuty.Options.ApiToken) throw new PagerDutyException(401, 2006, "Authentication failed");
    }

    private static SandboxPagerDutyUser Requester(HttpRequest request)
    {
        var from = request.Headers["From"].ToString();
        if (string.IsNullOrWhiteSpace(from)) throw new PagerDutyException(400, 2011, "You must specify a user's email address in the \"From\" header to perform this action.");
        return PagerDutyDirectory.UserByEmail(from) ?? throw new PagerDutyException(400, 1008, "Requester User Not Found", $"No user with the email {from}.");
    }

    private async Task<JsonObject> UpdateAsync(HttpRequest request, string id)
    {
        var user = Requester(request);
        var incident = (await PagerDutyHttp.ReadJsonAsync(request))["incident"] as JsonObject ?? throw PagerDutyException.InvalidInput("'incident' is missing.");
        var agent = PagerDutyAgent.Of(user);
        var view = pagerDuty.Incident(id) ?? throw PagerDutyException.NotFound($"Incident {id}");
        if (incident["escalation_level"] is JsonValue level)
            view = pagerDuty.Escalate(id, level.TryGetValue<int>(out var n) ? n : throw PagerDutyException.InvalidInput("'escalation_level' must be a whole number."), agent);
        if (incident["assignments"] is JsonArray assignments)
        {
            var users = assignments.Select(a => a?["assignee"]?["id"]?.GetValue<string>()).Select(userId =>
                PagerDutyDirectory.UserById(userId) ?? throw new PagerDutyException(400, 1007, "Assigned To User Not Found", $"No user {userId}.")).ToList();
            if (users.Count == 0) throw PagerDutyException.InvalidInput("'assignments' is empty.");
            view = pagerDuty.Reassign(id, users, agent);
        }
        switch (incident["status"]?.GetValue<string>())
        {
            case null: break;
            case "acknowledged": view = pagerDuty.Acknowledge(id, user); break;
            case "resolved": view = pagerDuty.Resolve(id, agent); break;
            case "triggered" when view.Status == "resolved": throw PagerDutyException.InvalidInput("The sandbox does not reopen incidents as triggered.");
            case "triggered": break;
            default: throw new PagerDutyException(400, 1003, "Invalid Status Provided");
        }
        return new JsonObject { ["incident"] = pagerDuty.IncidentJson(view.Id) };
    }

    /// <summary><c>POST /incidents</c>: a user opens an incident on a service (as in the web app); the log says it was them.</summary>
    private async Task<JsonObject> CreateAsync(HttpRequest request)
    {
        var user = Requester(request);
        var incident = (await PagerDutyHttp.ReadJsonAsync(request))["incident"] as JsonObject ?? throw PagerDutyException.InvalidInput("'incident' is missing.");
        var title = incident["title"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(title)) throw PagerDutyException.InvalidInput("Incident title cannot be empty.");
        var serviceId = incident["service"]?["id"]?.GetValue<string>() ?? throw PagerDutyException.InvalidInput("'service' is missing.");
        var service = PagerDutyDirectory.ServiceByName(serviceId) ?? throw PagerDutyException.NotFound($"Service {serviceId}");
        var view = pagerDuty.Trigger(service, title, incident["urgency"]?.GetValue<string>() == "low" ? "warning" : "critical", incident["incident_key"]?.GetValue<string>(), PagerDutyAgent.Of(user));
        return new JsonObject { ["incident"] = pagerDuty.IncidentJson(view.Id) };
    }

    private async Task<JsonObject> SnoozeAsync(HttpRequest request, string id)
    {
        var user = Requester(request);
        var duration = (await PagerDutyHttp.ReadJsonAsync(request))["duration"] is JsonValue d && d.TryGetValue<int>(out var seconds)
            ? seconds
            : throw new PagerDutyException(400, 1013, "Snooze Duration is Invalid");
        pagerDuty.Snooze(id, TimeSpan.FromSeconds(duration), user);
        return new JsonObject { ["incident"] = pagerDuty.IncidentJson(id) };
    }

    private async Task<JsonObject> AddNoteAsync(HttpRequest request, string id)
    {
        var user = Requester(request);
        var content = (await PagerDutyHttp.ReadJsonAsync(request))["note"]?["content"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(content)) throw PagerDutyException.InvalidInput("Note content cannot be empty.");
        _ = pagerDuty.Incident(id) ?? throw PagerDutyException.NotFound($"Incident {id}");
        return new JsonObject { ["note"] = PagerDutyViews.Note(pagerDuty.AddNote(id, user, content)) };
    }

    private async Task<JsonObject> StatusUpdateAsync(HttpRequest request, string id)
    {
        var user = Requester(request);
        var message = (await PagerDutyHttp.ReadJsonAsync(request))["message"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(message)) throw PagerDutyException.InvalidInput("Message cannot be empty.");
        _ = pagerDuty.Incident(id) ?? throw PagerDutyException.NotFound($"Incident {id}");
        return new JsonObject { ["status_update"] = PagerDutyViews.StatusUpdate(pagerDuty.PublishStatusUpdate(id, user, message)) };
    }

    private List<JsonObject> OnCalls(HttpRequest request)
    {
        var policies = Values(request, "escalation_policy_ids");
        if (policies.Count > 0 && !policies.Contains(PagerDutyDirectory.PolicyId)) return [];
        var users = Values(request, "include").Contains("users");
        return pagerDuty.OnCalls.Select(o => PagerDutyViews.OnCall(o.Level, o.User, o.Since, users)).ToList();
    }

    private static List<JsonObject> Users(string? query) => PagerDutyDirectory.Users
        .Where(u => string.IsNullOrEmpty(query) || u.Name.Contains(query, StringComparison.OrdinalIgnoreCase) || u.Email.Contains(query, StringComparison.OrdinalIgnoreCase))
        .Select(PagerDutyViews.User)
        .ToList();

    /// <summary>Array parameters arrive as <c>name[]=a&amp;name[]=b</c>.</summary>
    private static HashSet<string> Values(HttpRequest request, string name) =>
        request.Query[name + "[]"].Concat(request.Query[name]).OfType<string>().ToHashSet(StringComparer.Ordinal);

    private static JsonObject Page(HttpRequest request, string name, IReadOnlyList<JsonObject> all)
    {
        var limit = int.TryParse(request.Query["limit"], out var l) ? l : 25;
        var offset = int.TryParse(request.Query["offset"], out var o) ? o : 0;
        if (limit is < 1 or > 100 || offset < 0) throw PagerDutyException.InvalidInput("'limit' must be 1 to 100 and 'offset' at least 0.");
        if (offset + limit > 10_000) throw PagerDutyException.InvalidInput("Offset + limit must be at most 10000.");
        var page = all.Skip(offset).Take(limit).Select(n => (JsonNode)n.DeepClone()).ToArray();
        return new JsonObject
        {
            [name] = new JsonArray(page),
            ["limit"] = limit,
            ["offset"] = offset,
            ["more"] = offset + page.Length < all.Count,
            ["total"] = request.Query["total"] == "true" ? all.Count : null,
        };
    }
}
