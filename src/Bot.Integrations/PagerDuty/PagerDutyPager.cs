using System.Collections.Concurrent;
using Bot.Integrations.PagerDuty.Rest;
using Bot.Workflows.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Integrations.PagerDuty;

/// <summary>
/// The domain's <see cref="IPager"/> over PagerDuty's REST API (<see cref="PagerDutyClient"/>, resolved per call: a typed
/// HTTP client is not kept for ever). Levels are read from which level of the incident's policy its assignees are on
/// call for; a policy's on-calls are remembered for <see cref="OnCallCacheFor"/>, so a storm of incidents does not ask
/// for them once each. PagerDuty's errors come back as <see cref="PortException"/>s with the error kind as the code and
/// PagerDuty's sentence as plain text (the domain's renderers escape it).
/// </summary>
public sealed class PagerDutyPager(IServiceProvider services, TimeProvider time) : IPager
{
    public static readonly TimeSpan OnCallCacheFor = TimeSpan.FromMinutes(1);

    private sealed record CachedOnCalls(IReadOnlyList<PagerDutyOnCall> OnCalls, DateTimeOffset Until);

    private readonly ConcurrentDictionary<string, CachedOnCalls> _onCalls = new(StringComparer.Ordinal);

    private PagerDutyClient Client => services.GetRequiredService<PagerDutyClient>();

    public Task<PagerIncident?> GetIncidentAsync(string incidentId, CancellationToken cancellationToken) => Translate(async () =>
    {
        try
        {
            return ToDomain(await Client.GetIncidentAsync(incidentId, cancellationToken));
        }
        catch (PagerDutyApiException e) when (e.Kind == PagerDutyErrorKind.NotFound)
        {
            return null;
        }
    });

    public Task<PagerIncident?> GetIncidentWithLevelAsync(string incidentId, CancellationToken cancellationToken) => Translate(async () =>
    {
        PagerDutyIncident incident;
        try
        {
            incident = await Client.GetIncidentAsync(incidentId, cancellationToken);
        }
        catch (PagerDutyApiException e) when (e.Kind == PagerDutyErrorKind.NotFound)
        {
            return null;
        }
        return await WithLevelAsync(incident, cancellationToken);
    });

    public Task<PagerTrigger?> GetTriggerAsync(string incidentId, CancellationToken cancellationToken) => Translate(async () =>
        await Client.GetTriggerLogEntryAsync(incidentId, cancellationToken) is { Agent: { } agent }
            ? new PagerTrigger(agent.Type ?? "unknown", agent.Id, agent.DisplayName)
            : null);

    public Task<IReadOnlyList<PagerIncident>> ListOpenIncidentsAsync(CancellationToken cancellationToken) => Translate(async () =>
    {
        var open = await Client.ListOpenIncidentsAsync(cancellationToken);
        var result = new List<PagerIncident>(open.Count);
        foreach (var incident in open) result.Add(await WithLevelAsync(incident, cancellationToken));
        return (IReadOnlyList<PagerIncident>)result;
    });

    public Task<PagerUser?> FindUserAsync(string email, CancellationToken cancellationToken) => Translate(async () =>
        await Client.FindUserByEmailAsync(email, cancellationToken) is { } user ? new PagerUser(user.Id, user.Name ?? user.Summary ?? user.Id, user.Email ?? email) : null);

    public Task<PagerIncident> AcknowledgeAsync(string incidentId, string? fromEmail, CancellationToken cancellationToken) => Translate(async () =>
    {
        var client = Client;
        return ToDomain((await client.AcknowledgeAsync(incidentId, fromEmail ?? client.BotEmail, cancellationToken)).Incident);
    });

    public Task<PagerIncident> ResolveAsync(string incidentId, string fromEmail, CancellationToken cancellationToken) =>
        Translate(async () => ToDomain((await Client.ResolveAsync(incidentId, fromEmail, null, cancellationToken)).Incident));

    public Task<PagerIncident> EscalateAsync(string incidentId, int level, string? fromEmail, CancellationToken cancellationToken) => Translate(async () =>
    {
        var client = Client;
        var update = await client.EscalateAsync(incidentId, level, fromEmail ?? client.BotEmail, cancellationToken);
        // PagerDuty put it on the level asked for; its answer does not say so itself.
        return ToDomain(update.Incident, level) with { NextEscalationAt = update.Incident.NextEscalationAt };
    });

    public Task<PagerIncident> SnoozeAsync(string incidentId, TimeSpan duration, string fromEmail, CancellationToken cancellationToken) =>
        Translate(async () => ToDomain(await Client.SnoozeAsync(incidentId, duration, fromEmail, cancellationToken)));

    public Task<PagerNote> AddNoteAsync(string incidentId, string text, string fromEmail, CancellationToken cancellationToken) => Translate(async () =>
    {
        var note = await Client.AddNoteAsync(incidentId, text, fromEmail, cancellationToken);
        return new PagerNote(note.Id ?? "", note.Content ?? text);
    });

    public Task<PagerNote> PublishStatusUpdateAsync(string incidentId, string message, string fromEmail, CancellationToken cancellationToken) => Translate(async () =>
    {
        var update = await Client.PublishStatusUpdateAsync(incidentId, message, fromEmail, cancellationToken);
        return new PagerNote(update.Id ?? "", update.Message ?? message);
    });

    public Task<PagerIncident> AssignAsync(string incidentId, PagerUser assignee, string fromEmail, CancellationToken cancellationToken) =>
        Translate(async () => ToDomain((await Client.ReassignAsync(incidentId, [assignee.Id], fromEmail, cancellationToken)).Incident));

    private async Task<PagerIncident> WithLevelAsync(PagerDutyIncident incident, CancellationToken cancellationToken)
    {
        if (incident.KnownStatus == IncidentStatus.Resolved || incident.EscalationPolicy is not { Id.Length: > 0 } policy) return ToDomain(incident);
        var now = time.GetUtcNow();
        if (!_onCalls.TryGetValue(policy.Id, out var cached) || cached.Until <= now)
        {
            cached = new CachedOnCalls(await Client.ListOnCallsAsync(policy.Id, includeUsers: false, cancellationToken), now + OnCallCacheFor);
            _onCalls[policy.Id] = cached;
        }
        return ToDomain(incident, EscalationLevels.Of(incident, cached.OnCalls).Level);
    }

    /// <summary>The REST API's incident in the domain's terms.</summary>
    public static PagerIncident ToDomain(PagerDutyIncident i, int? level = null) => new(i.Id, i.Status ?? "", i.Title ?? i.Summary ?? "", i.HtmlUrl)
    {
        Number = i.IncidentNumber,
        Service = i.Service?.DisplayName,
        ServiceId = i.Service?.Id,
        TeamIds = i.Teams.Select(t => t.Id).ToList(),
        EscalationPolicyId = i.EscalationPolicy?.Id,
        EscalationPolicy = i.EscalationPolicy?.DisplayName,
        AssignedVia = i.AssignedVia,
        AcknowledgedBy = i.Acknowledgements.MaxBy(a => a.At)?.Acknowledger?.DisplayName,
        IncidentKey = i.IncidentKey,
        Urgency = i.Urgency,
        Priority = i.Priority?.DisplayName,
        Assignees = i.Assignments.Select(a => a.Assignee?.DisplayName).OfType<string>().Distinct().ToList(),
        Level = level,
        NextEscalationAt = i.NextEscalationAt,
        CreatedAt = i.CreatedAt,
        LastChangeAt = i.LastStatusChangeAt,
        LastChangeBy = i.LastStatusChangeBy?.DisplayName,
    };

    private static async Task<T> Translate<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (PagerDutyApiException e)
        {
            throw new PortException(e.Kind.ToString(), e.Message, e.Transient, e);
        }
    }
}
