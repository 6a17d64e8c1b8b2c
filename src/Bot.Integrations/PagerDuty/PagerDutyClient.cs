using Bot.Integrations.PagerDuty.Rest;
using Microsoft.Extensions.Options;
using Refit;

namespace Bot.Integrations.PagerDuty;

/// <summary>What a write did: the incident as PagerDuty now has it, and whether this call changed it.</summary>
public sealed record PagerDutyUpdate(PagerDutyIncident Incident, bool Changed);

/// <summary>
/// PagerDuty's REST API v2 as the bot uses it. Every call returns PagerDuty's answer or throws
/// <see cref="PagerDutyApiException"/> (a person-readable message, PagerDuty's error code, a
/// <see cref="PagerDutyErrorKind"/>). Writes take the acting person's PagerDuty e-mail for the <c>From</c>
/// header (<see cref="BotEmail"/> for the bot's own actions) and read the incident first, so a resolved
/// incident is never reopened by an acknowledge and a repeated write changes nothing. GETs and PUTs are
/// retried on transient failures below (they are idempotent); POSTs only when PagerDuty rate-limited them.
/// </summary>
public sealed class PagerDutyClient(IPagerDutyRestApi api, IOptionsMonitor<PagerDutyOptions> options, TimeProvider time)
{
    /// <summary>The most PagerDuty returns per page.</summary>
    public const int PageSize = 100;

    /// <summary>Classic pagination stops here (offset + limit may not exceed 10000).</summary>
    public const int MaxRecords = 10_000;

    public bool IsConfigured => options.CurrentValue.IsConfigured;

    /// <summary>The bot's own PagerDuty user e-mail (<c>PagerDuty__FromEmail</c>).</summary>
    public string BotEmail => options.CurrentValue.FromEmail is { Length: > 0 } email ? email : throw PagerDutyErrors.NotConfigured("act as the bot");

    /// <summary>The SecureBase escalation policy id (<c>PagerDuty__EscalationPolicyId</c>), if set.</summary>
    public string? EscalationPolicyId => options.CurrentValue.EscalationPolicyId;

    public async Task<PagerDutyIncident> GetIncidentAsync(string incidentId, CancellationToken cancellationToken)
    {
        var operation = $"read incident {incidentId}";
        var envelope = await Invoke(operation, () => api.GetIncidentAsync(incidentId, cancellationToken), cancellationToken);
        return envelope.Incident ?? throw Unreadable(operation);
    }

    /// <summary>The entry that says who or what triggered the incident (the earliest <c>trigger_log_entry</c>), or null when its log has none.</summary>
    public async Task<PagerDutyLogEntry?> GetTriggerLogEntryAsync(string incidentId, CancellationToken cancellationToken)
    {
        var entries = new List<PagerDutyLogEntry>();
        await foreach (var page in Pages($"read the log of incident {incidentId}",
                           offset => api.ListLogEntriesAsync(incidentId, false, PageSize, offset, cancellationToken), cancellationToken))
            entries.AddRange(page.LogEntries ?? []);
        return entries.Where(e => e.Type == PagerDutyLogEntry.Trigger).OrderBy(e => e.CreatedAt ?? DateTimeOffset.MaxValue).FirstOrDefault();
    }

    /// <summary>
    /// Every SecureBase incident (<see cref="PagerDutyOptions.Scope"/>: <c>service_ids[]</c>, <c>team_ids[]</c>) in
    /// <paramref name="statuses"/>, all pages (over all time, not PagerDuty's default 30 days). What PagerDuty answers is
    /// checked against the scope too, so another team's incident never gets through.
    /// </summary>
    public async Task<IReadOnlyList<PagerDutyIncident>> ListIncidentsAsync(IReadOnlyCollection<IncidentStatus> statuses, CancellationToken cancellationToken)
    {
        var wire = statuses.Select(s => s.ToWire()).Distinct().ToList();
        var scope = options.CurrentValue.Scope;
        var all = new List<PagerDutyIncident>();
        await foreach (var page in Pages($"list {string.Join(" and ", wire)} incidents",
                           offset => api.ListIncidentsAsync(wire, scope.ServiceIds, scope.TeamIds, "all", PageSize, offset, cancellationToken), cancellationToken))
            all.AddRange((page.Incidents ?? []).Where(i => i.Service is null || scope.Covers(i)));
        return all;
    }

    /// <summary>The open incidents (<c>statuses[]=triggered&amp;statuses[]=acknowledged</c>), for the reconciler.</summary>
    public Task<IReadOnlyList<PagerDutyIncident>> ListOpenIncidentsAsync(CancellationToken cancellationToken) =>
        ListIncidentsAsync([IncidentStatus.Triggered, IncidentStatus.Acknowledged], cancellationToken);

    /// <summary>Acknowledges a triggered incident. An acknowledged one is left alone; a resolved one is refused (acknowledging would reopen it).</summary>
    public async Task<PagerDutyUpdate> AcknowledgeAsync(string incidentId, string fromEmail, CancellationToken cancellationToken)
    {
        var operation = $"acknowledge incident {incidentId}";
        var current = await GetIncidentAsync(incidentId, cancellationToken);
        switch (current.KnownStatus)
        {
            case IncidentStatus.Acknowledged: return new PagerDutyUpdate(current, false);
            case IncidentStatus.Resolved: throw Resolved(operation, "acknowledging it would reopen it");
        }
        return new PagerDutyUpdate(await Update(operation, incidentId, fromEmail, new IncidentUpdate { Status = "acknowledged" }, cancellationToken), true);
    }

    /// <summary>Resolves an open incident, with an optional resolution note; a resolved one is left alone.</summary>
    public async Task<PagerDutyUpdate> ResolveAsync(string incidentId, string fromEmail, string? resolution, CancellationToken cancellationToken)
    {
        var current = await GetIncidentAsync(incidentId, cancellationToken);
        if (current.KnownStatus == IncidentStatus.Resolved) return new PagerDutyUpdate(current, false);
        var update = new IncidentUpdate { Status = "resolved", Resolution = string.IsNullOrWhiteSpace(resolution) ? null : resolution };
        return new PagerDutyUpdate(await Update($"resolve incident {incidentId}", incidentId, fromEmail, update, cancellationToken), true);
    }

    /// <summary>Escalates an open incident to <paramref name="escalationLevel"/> (1 is the policy's first level).</summary>
    public async Task<PagerDutyUpdate> EscalateAsync(string incidentId, int escalationLevel, string fromEmail, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(escalationLevel, 1);
        var operation = $"escalate incident {incidentId} to level {escalationLevel}";
        var current = await GetIncidentAsync(incidentId, cancellationToken);
        if (current.KnownStatus == IncidentStatus.Resolved) throw Resolved(operation, "a resolved incident does not escalate");
        return new PagerDutyUpdate(await Update(operation, incidentId, fromEmail, new IncidentUpdate { EscalationLevel = escalationLevel }, cancellationToken), true);
    }

    /// <summary>Assigns an open incident to these PagerDuty users (replacing the current assignees).</summary>
    public async Task<PagerDutyUpdate> ReassignAsync(string incidentId, IReadOnlyList<string> userIds, string fromEmail, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0) throw new ArgumentException("Name at least one PagerDuty user to assign.", nameof(userIds));
        var operation = $"reassign incident {incidentId}";
        var current = await GetIncidentAsync(incidentId, cancellationToken);
        if (current.KnownStatus == IncidentStatus.Resolved) throw Resolved(operation, "a resolved incident cannot be reassigned");
        var assigned = current.Assignments.Select(a => a.Assignee?.Id).ToHashSet(StringComparer.Ordinal);
        if (assigned.SetEquals(userIds)) return new PagerDutyUpdate(current, false);
        var update = new IncidentUpdate { Assignments = userIds.Distinct().Select(id => new AssignmentUpdate(new UserReference(id))).ToList() };
        return new PagerDutyUpdate(await Update(operation, incidentId, fromEmail, update, cancellationToken), true);
    }

    /// <summary>
    /// Snoozes an acknowledged incident: it returns to triggered after <paramref name="duration"/> (whole seconds).
    /// A POST: not retried on 5xx or timeouts, since it may have been applied.
    /// </summary>
    public async Task<PagerDutyIncident> SnoozeAsync(string incidentId, TimeSpan duration, string fromEmail, CancellationToken cancellationToken)
    {
        var seconds = (int)Math.Ceiling(duration.TotalSeconds);
        if (seconds < 1) throw new ArgumentOutOfRangeException(nameof(duration), "Snooze for at least a second.");
        var operation = $"snooze incident {incidentId}";
        var envelope = await Invoke(operation, () => api.SnoozeIncidentAsync(incidentId, From(fromEmail, operation), new SnoozeRequest(seconds), cancellationToken), cancellationToken);
        return envelope.Incident ?? throw Unreadable(operation);
    }

    /// <summary>Adds a note to the incident's timeline. A POST: never retried blindly (a retry could add it twice).</summary>
    public async Task<PagerDutyNote> AddNoteAsync(string incidentId, string content, string fromEmail, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(content)) throw new ArgumentException("A note needs some text.", nameof(content));
        var operation = $"add a note to incident {incidentId}";
        var envelope = await Invoke(operation, () => api.CreateNoteAsync(incidentId, From(fromEmail, operation), new CreateNoteRequest(new NoteContent(content)), cancellationToken), cancellationToken);
        return envelope.Note ?? throw Unreadable(operation);
    }

    /// <summary>
    /// Publishes a status update on the incident (<c>POST /incidents/{id}/status_updates</c>): its stakeholders and
    /// subscribers are told. A POST: never retried blindly (a retry could publish it twice).
    /// </summary>
    public async Task<PagerDutyStatusUpdate> PublishStatusUpdateAsync(string incidentId, string message, string fromEmail, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(message)) throw new ArgumentException("A status update needs some text.", nameof(message));
        var operation = $"publish a status update on incident {incidentId}";
        var envelope = await Invoke(operation, () => api.CreateStatusUpdateAsync(incidentId, From(fromEmail, operation), new StatusUpdateRequest(message), cancellationToken), cancellationToken);
        return envelope.StatusUpdate ?? throw Unreadable(operation);
    }

    /// <summary>Who is on call now on each level of an escalation policy; with <paramref name="includeUsers"/> the users carry their e-mail.</summary>
    public async Task<IReadOnlyList<PagerDutyOnCall>> ListOnCallsAsync(string escalationPolicyId, bool includeUsers, CancellationToken cancellationToken)
    {
        string[] include = includeUsers ? ["users"] : [];
        var all = new List<PagerDutyOnCall>();
        await foreach (var page in Pages($"list the on-calls of escalation policy {escalationPolicyId}",
                           offset => api.ListOnCallsAsync([escalationPolicyId], include, PageSize, offset, cancellationToken), cancellationToken))
            all.AddRange(page.Oncalls ?? []);
        return all.OrderBy(o => o.EscalationLevel).ToList();
    }

    /// <summary>The PagerDuty user with exactly this e-mail (case-insensitive), or null when there is none.</summary>
    public async Task<PagerDutyUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email)) return null;
        var wanted = email.Trim();
        await foreach (var page in Pages("look up a PagerDuty user by e-mail", offset => api.ListUsersAsync(wanted, PageSize, offset, cancellationToken), cancellationToken))
        {
            if (page.Users?.FirstOrDefault(u => string.Equals(u.Email, wanted, StringComparison.OrdinalIgnoreCase)) is { } user) return user;
        }
        return null;
    }

    public async Task<PagerDutyEscalationPolicy> GetEscalationPolicyAsync(string escalationPolicyId, CancellationToken cancellationToken)
    {
        var operation = $"read escalation policy {escalationPolicyId}";
        var envelope = await Invoke(operation, () => api.GetEscalationPolicyAsync(escalationPolicyId, cancellationToken), cancellationToken);
        return envelope.EscalationPolicy ?? throw Unreadable(operation);
    }

    /// <summary>
    /// The incident with its current escalation level, which the API does not report: it is read from
    /// which level of the incident's escalation policy the assignees are on call for (see <see cref="EscalationLevels"/>).
    /// </summary>
    public async Task<IncidentEscalation> GetIncidentEscalationAsync(string incidentId, CancellationToken cancellationToken)
    {
        var incident = await GetIncidentAsync(incidentId, cancellationToken);
        if (incident.KnownStatus == IncidentStatus.Resolved || incident.EscalationPolicy is not { Id.Length: > 0 } policy)
            return new IncidentEscalation(incident, null, []);
        var onCalls = await ListOnCallsAsync(policy.Id, includeUsers: false, cancellationToken);
        return EscalationLevels.Of(incident, onCalls);
    }

    private async Task<PagerDutyIncident> Update(string operation, string incidentId, string fromEmail, IncidentUpdate update, CancellationToken cancellationToken)
    {
        var envelope = await Invoke(operation, () => api.UpdateIncidentAsync(incidentId, From(fromEmail, operation), new UpdateIncidentRequest(update), cancellationToken), cancellationToken);
        return envelope.Incident ?? throw Unreadable(operation);
    }

    private static string From(string fromEmail, string operation) =>
        string.IsNullOrWhiteSpace(fromEmail)
            ? throw new PagerDutyApiException(operation, PagerDutyErrorKind.RequesterNotFound, $"Cannot {operation}: the person acting has no PagerDuty e-mail.")
            : fromEmail.Trim();

    /// <summary>Classic pagination: pages until <c>more</c> is false or PagerDuty's 10000-record ceiling.</summary>
    private async IAsyncEnumerable<T> Pages<T>(string operation, Func<int, Task<IApiResponse<T>>> page,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken) where T : PagedList
    {
        for (var offset = 0; offset + PageSize <= MaxRecords;)
        {
            var current = await Invoke(operation, () => page(offset), cancellationToken);
            yield return current;
            var count = current.Limit > 0 ? current.Limit : PageSize;
            if (!current.More) yield break;
            offset += count;
        }
    }

    private async Task<T> Invoke<T>(string operation, Func<Task<IApiResponse<T>>> call, CancellationToken cancellationToken)
    {
        if (!options.CurrentValue.IsConfigured) throw PagerDutyErrors.NotConfigured(operation);
        using var response = await PagerDutyTransport.Send(operation, call, cancellationToken);
        return PagerDutyTransport.Checked(operation, response, time);
    }

    private static PagerDutyApiException Resolved(string operation, string why) =>
        new(operation, PagerDutyErrorKind.AlreadyResolved, $"Cannot {operation}: the incident is already resolved ({why}).");

    private static PagerDutyApiException Unreadable(string operation) =>
        new(operation, PagerDutyErrorKind.Other, $"PagerDuty's answer to {operation} could not be read.");
}
