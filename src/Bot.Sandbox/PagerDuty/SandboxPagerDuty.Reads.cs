using System.Text.Json.Nodes;

namespace Bot.Sandbox.PagerDuty;

/// <summary>What the account shows: its incidents as the bot's tests see them, and in the REST API's JSON shapes.</summary>
public sealed partial class SandboxPagerDuty
{
    public IReadOnlyList<SandboxIncidentView> Incidents
    {
        get
        {
            lock (_gate) return _incidents.Values.OrderBy(i => i.Number).Select(View).ToList();
        }
    }

    public SandboxIncidentView? Incident(string id)
    {
        lock (_gate) return _incidents.TryGetValue(id, out var i) ? View(i) : null;
    }

    /// <summary>The incident in the REST API's JSON shape.</summary>
    internal JsonObject IncidentJson(string id)
    {
        lock (_gate) return PagerDutyViews.Incident(Find(id));
    }

    /// <summary>
    /// Incidents with one of <paramref name="statuses"/> (all when empty), on one of <paramref name="serviceIds"/> and of one of
    /// <paramref name="teamIds"/> (each filter only when given), oldest first, in the REST API's JSON shape.
    /// </summary>
    internal IReadOnlyList<JsonObject> IncidentsJson(IReadOnlyCollection<string> statuses, string? incidentKey,
        IReadOnlyCollection<string>? serviceIds = null, IReadOnlyCollection<string>? teamIds = null)
    {
        lock (_gate)
        {
            return _incidents.Values
                .Where(i => statuses.Count == 0 || statuses.Contains(i.Status))
                .Where(i => serviceIds is not { Count: > 0 } || serviceIds.Contains(i.Service.Id))
                .Where(i => teamIds is not { Count: > 0 } || teamIds.Contains(i.Service.TeamId))
                .Where(i => incidentKey is null || i.IncidentKey == incidentKey)
                .OrderBy(i => i.Number)
                .Select(PagerDutyViews.Incident)
                .ToList();
        }
    }

    /// <summary>The incident's log, oldest first: who triggered it, acknowledged it, resolved it.</summary>
    internal IReadOnlyList<JsonObject> LogEntriesJson(string id)
    {
        lock (_gate) return PagerDutyViews.LogEntries(Find(id)).ToList();
    }

    internal IReadOnlyList<JsonObject> NotesJson(string id)
    {
        lock (_gate) return Find(id).Notes.Select(PagerDutyViews.Note).ToList();
    }

    private static SandboxIncidentView View(SandboxIncident i) => new(i.Id, i.Number, i.Title, i.Service.Name, i.IncidentKey, i.Status, i.Level,
        i.Assignments.Select(a => a.User.Email).ToList(), i.CreatedAt,
        i.Status == "triggered" ? i.EscalateAt : null, i.Status == "acknowledged" ? i.UnacknowledgeAt : null, i.Notes.ToList());
}
