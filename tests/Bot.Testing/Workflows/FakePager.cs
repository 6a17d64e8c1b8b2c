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
    public sealed record Write(string Action, string IncidentId, string? From, int? Level = null, TimeSpan? Duration = null, string? Text = null);

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

    public Task<PagerIncident> AcknowledgeAsync(string incidentId, string? fromEmail, CancellationToken cancellationToken) =>
        Change(new Write("acknowledge", incidentId, fromEmail), i => i with
        {
            Status = PagerIncident.Acknowledged,
            LastChangeBy = Name(fromEmail) ?? BotName,
            AcknowledgedBy = Name(fromEmail) ?? BotName,
        });

    public const string BotName = "SecureBase Ops Bot";

    public Task<PagerIncident> ResolveAsync(string incidentId, string fromEmail, CancellationToken cancellationToken) =>
        Change(new Write("resolve", incidentId, fromEmail), i => i with { Status = PagerIncident.Resolved, LastChangeBy = Name(fromEmail), Assignees = [] });

    public Task<PagerIncident> EscalateAsync(string incidentId, int level, string? fromEmail, CancellationToken cancellationToken) =>
        Change(new Write("escalate", incidentId, fromEmail, Level: level), i => i with
        {
            Status = PagerIncident.Triggered,
            Level = level,
            AcknowledgedBy = null,
            Assignees = [OnCall[Math.Clamp(level, 1, OnCall.Count) - 1]],
            AssignedVia = "escalation_policy",
            LastChangeBy = Name(fromEmail) ?? BotName,
        });

    /// <summary>Who is on call on each level of the fake policy (as the sandbox's directory has them).</summary>
    public static readonly IReadOnlyList<string> OnCall = ["Alice Chen", "Bob Okafor", "Carol Diaz", "Dave Kim"];

    /// <summary>
    /// Runs after the caller read the incident and before its write lands (the write sees what it changed): something that
    /// happens in PagerDuty in between, such as an acknowledgement crossing the bot's escalation.
    /// </summary>
    public Func<Write, Task>? BeforeWrite { get; set; }

    public Task<PagerIncident> SnoozeAsync(string incidentId, TimeSpan duration, string fromEmail, CancellationToken cancellationToken) =>
        Change(new Write("snooze", incidentId, fromEmail, Duration: duration), i => i);

    private int _notes;

    public async Task<PagerNote> AddNoteAsync(string incidentId, string text, string fromEmail, CancellationToken cancellationToken)
    {
        await Change(new Write("note", incidentId, fromEmail, Text: text), i => i);
        return new PagerNote($"PNOTE{Interlocked.Increment(ref _notes)}", text);
    }

    public async Task<PagerNote> PublishStatusUpdateAsync(string incidentId, string message, string fromEmail, CancellationToken cancellationToken)
    {
        await Change(new Write("status-update", incidentId, fromEmail, Text: message), i => i);
        return new PagerNote($"PSTATUS{Interlocked.Increment(ref _notes)}", message);
    }

    public Task<PagerIncident> AssignAsync(string incidentId, PagerUser assignee, string fromEmail, CancellationToken cancellationToken) =>
        Change(new Write("assign", incidentId, fromEmail, Text: assignee.Email), i => i with
        {
            Status = PagerIncident.Triggered,
            Assignees = [assignee.Name],
            AssignedVia = PagerIncident.DirectAssignment,
            AcknowledgedBy = null,
        });

    private async Task<PagerIncident> Change(Write write, Func<PagerIncident, PagerIncident> change)
    {
        if (BeforeWrite is { } before)
        {
            BeforeWrite = null;
            await before(write);
        }
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
