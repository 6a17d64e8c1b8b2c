using Bot.Integrations.PagerDuty.Rest;
using Bot.Integrations.PagerDuty.Webhooks;

namespace Bot.Integrations.PagerDuty;

/// <summary>
/// Which of the account's incidents are SecureBase's (<c>PagerDuty__ServiceIds__N</c>, <c>PagerDuty__TeamIds__N</c>): one on a
/// listed service (when services are listed) and of a listed team (when teams are listed). Other teams share the PagerDuty
/// account: their incidents get no thread, no reconciler pass and no escalation. The REST API is asked with the same
/// filters (<c>service_ids[]</c>, <c>team_ids[]</c>).
/// </summary>
public sealed class PagerDutyScope
{
    public PagerDutyScope(IEnumerable<string>? serviceIds, IEnumerable<string>? teamIds)
    {
        ServiceIds = Clean(serviceIds);
        TeamIds = Clean(teamIds);
    }

    public IReadOnlyList<string> ServiceIds { get; }
    public IReadOnlyList<string> TeamIds { get; }

    /// <summary>No filter configured (PagerDuty not in use, or misconfigured: validation refuses it on start).</summary>
    public bool IsEmpty => ServiceIds.Count == 0 && TeamIds.Count == 0;

    /// <summary>
    /// Whether an incident on <paramref name="serviceId"/> with <paramref name="teamIds"/> is SecureBase's. An empty scope
    /// covers everything (the options' validation makes sure a configured PagerDuty has one).
    /// </summary>
    public bool Covers(string? serviceId, IEnumerable<string?>? teamIds)
    {
        if (ServiceIds.Count > 0 && (serviceId is null || !ServiceIds.Contains(serviceId, StringComparer.Ordinal))) return false;
        if (TeamIds.Count > 0 && !(teamIds ?? []).Any(t => t is not null && TeamIds.Contains(t, StringComparer.Ordinal))) return false;
        return true;
    }

    public bool Covers(PagerDutyIncident incident) => Covers(incident.Service?.Id, incident.Teams.Select(t => t.Id));

    /// <summary>
    /// Whether a webhook event may be about a SecureBase incident: false only when its data names the incident's service
    /// and teams and they are outside the scope. Notes and responder events name only the incident: the sink decides those.
    /// </summary>
    public bool MayCover(PagerDutyWebhookEvent webhookEvent) =>
        webhookEvent.Incident is not { } incident || incident.Service is null || Covers(incident.Service.Id, incident.Teams.Select(t => t.Id));

    private static IReadOnlyList<string> Clean(IEnumerable<string>? ids) =>
        (ids ?? []).Select(id => id?.Trim() ?? "").Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
}
