using Bot.Testing;
using System.Collections.Concurrent;
using Bot.Workflows.Ports;

namespace Bot.Testing.Workflows;

/// <summary>
/// An in-memory pager for unit tests of the Incident workflow: incidents with status and level, users by e-mail, and a
/// record of every write with the e-mail it was made as. (The real adapter is tested against PagerDuty's API fake and the
/// sandbox.)
/// </summary>
public sealed class FakePager(TimeProvider time) : IPager
{
    public sealed record Write(string Action, string IncidentId, string? From, int? Level = null, TimeSpan? Duration = null);

    private readonly ConcurrentDictionary<string, PagerIncident> _incidents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PagerUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<Write> _writes = new();

    public IReadOnlyList<Write> Writes => _writes.ToArray();
    public Exception? FailNextWrite { get; set; }

    public FakePager User(string email, string name)
    {
        _users[email] = new PagerUser("P" + name.ToUpperInvariant(), name, email);
        return this;
    }

    public PagerIncident Put(PagerIncident incident) => _incidents[incident.Id] = incident;

    private readonly ConcurrentDictionary<string, PagerTrigger> _triggers = new(StringComparer.Ordinal);

    /// <summary>Says who opened <paramref name="incidentId"/> (its trigger log entry).</summary>
    public FakePager OpenedBy(string incidentId, PagerTrigger trigger)
    {
        _triggers[incidentId] = trigger;
        return this;
    }

    /// <summary>Reading the incident fails with this (once) when set.</summary>
    public Exception? FailNextRead { get; set; }

    public Task<PagerTrigger?> GetTriggerAsync(string incidentId, CancellationToken cancellationToken) =>
        Task.FromResult(_triggers.TryGetValue(incidentId, out var t) ? t : null);

    public PagerIncident this[string id] => _incidents[id];

    public Task<PagerIncident?> GetIncidentAsync(string incidentId, CancellationToken cancellationToken)
    {
        if (FailNextRead is { } failure)
        {
            FailNextRead = null;
            throw failure;
        }
        return Task.FromResult(_incidents.TryGetValue(incidentId, out var i) ? i with { Level = null } : null);
    }

    public Task<PagerIncident?> GetIncidentWithLevelAsync(string incidentId, CancellationToken cancellationToken) =>
        Task.FromResult(_incidents.TryGetValue(incidentId, out var i) ? i : null);

    /// <summary>Runs after the open incidents were listed (and before the caller acts on the list): news arriving in between.</summary>
    public Func<Task>? AfterList { get; set; }

    public async Task<IReadOnlyList<PagerIncident>> ListOpenIncidentsAsync(CancellationToken cancellationToken)
    {
        var open = _incidents.Values.Where(i => i.IsOpen).OrderBy(i => i.Id).ToList();
        if (AfterList is { } after) await after();
        return open;
    }

    public Task<PagerUser?> FindUserAsync(string email, CancellationToken cancellationToken) =>
        Task.FromResult(_users.TryGetValue(email, out var user) ? user : null);

    public Task<PagerIncident> AcknowledgeAsync(string incidentId, string fromEmail, CancellationToken cancellationToken) =>
        Change(new Write("acknowledge", incidentId, fromEmail), i => i with { Status = PagerIncident.Acknowledged, LastChangeBy = Name(fromEmail) });

    public Task<PagerIncident> ResolveAsync(string incidentId, string fromEmail, CancellationToken cancellationToken) =>
        Change(new Write("resolve", incidentId, fromEmail), i => i with { Status = PagerIncident.Resolved, LastChangeBy = Name(fromEmail), Assignees = [] });

    public Task<PagerIncident> EscalateAsync(string incidentId, int level, string? fromEmail, CancellationToken cancellationToken) =>
        Change(new Write("escalate", incidentId, fromEmail, Level: level), i => i with { Status = PagerIncident.Triggered, Level = level });

    public Task<PagerIncident> SnoozeAsync(string incidentId, TimeSpan duration, string fromEmail, CancellationToken cancellationToken) =>
        Change(new Write("snooze", incidentId, fromEmail, Duration: duration), i => i);

    /// <summary>Runs before each write (e.g. to hold one in flight, as a call waiting out PagerDuty's 429 would).</summary>
    public Func<Task>? BeforeWrite { get; set; }

    private async Task<PagerIncident> Change(Write write, Func<PagerIncident, PagerIncident> change)
    {
        if (BeforeWrite is { } before) await before();
        if (FailNextWrite is { } failure)
        {
            FailNextWrite = null;
            throw failure;
        }
        _writes.Enqueue(write);
        var updated = change(_incidents[write.IncidentId]) with { LastChangeAt = time.GetUtcNow() };
        _incidents[write.IncidentId] = updated;
        return updated;
    }

    private string? Name(string? email) => email is not null && _users.TryGetValue(email, out var user) ? user.Name : null;
}
