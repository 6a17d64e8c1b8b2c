using Bot.Workflows.Audit;
using Bot.Workflows.Engine;

namespace Bot.Workflows.Storage;

/// <summary>An aggregate as stored: its state, its data (JSON) and the version the next save is checked against.</summary>
public sealed record AggregateRecord(string AggregateType, string AggregateId, string State, string Data, long Version, DateTimeOffset UpdatedAt);

/// <summary>
/// A durable timer. When due it fires <see cref="Trigger"/> on the aggregate with <see cref="Expectation"/>;
/// <see cref="Token"/> identifies this setting of the timer, so removing an older one never removes a newer one.
/// </summary>
public sealed record TimerRecord(
    string Id,
    string AggregateType,
    string AggregateId,
    string Trigger,
    string? Expectation,
    DateTimeOffset DueAt,
    string Token,
    string? LeaseOwner = null,
    DateTimeOffset? LeaseUntil = null)
{
    /// <summary>Timer ids are deterministic: setting a timer of the same name again replaces it.</summary>
    public static string IdFor(string aggregateType, string aggregateId, string name) => $"{aggregateType}/{aggregateId}/{name}";
}

/// <summary>
/// A message waiting to be delivered. <see cref="Sequence"/> orders messages (per channel they are sent
/// strictly in this order); <see cref="Key"/> is the message's own name (its id when the workflow gave none).
/// </summary>
public sealed record OutboxMessage
{
    public required string Id { get; init; }
    public required long Sequence { get; init; }
    public required string Key { get; init; }
    public required string Channel { get; init; }
    public required string Text { get; init; }
    public string? BlocksJson { get; init; }
    public string? ThreadUnderKey { get; init; }
    public string? UpdateKey { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public int Attempts { get; init; }
    public string? LeaseOwner { get; init; }
    public DateTimeOffset? LeaseUntil { get; init; }
}

/// <summary>Where a delivered message ended up, so threads and edits can find it.</summary>
public sealed record SentMessage(string Key, string MessageId, string Channel, string Ts, DateTimeOffset SentAt);

/// <summary>The idempotency key of the trigger and the outcome to return to later repeats, saved with the transition.</summary>
public sealed record IdempotencyOutcome(string Key, FireOutcome Outcome, DateTimeOffset ExpiresAt)
{
    /// <summary>The outcome as stored, completed with the sequence number of the audit record the commit appended.</summary>
    public string ToJson(long auditSequence) => (Outcome with { AuditSequence = auditSequence }).ToJson();
}

/// <summary>
/// Everything one trigger changes, written atomically: the new aggregate record (checked against
/// <see cref="ExpectedVersion"/>), the audit record, outbound messages, timers set and removed, and the
/// trigger's idempotency outcome.
/// </summary>
public sealed record UnitOfWork
{
    /// <summary>The new record; null for a standalone audit record.</summary>
    public AggregateRecord? Aggregate { get; init; }
    /// <summary>The version the stored record must still have (0: must not exist yet).</summary>
    public long ExpectedVersion { get; init; }
    public required AuditDraft Audit { get; init; }
    public IReadOnlyList<OutboxMessage> Messages { get; init; } = [];
    public IReadOnlyList<TimerRecord> TimersToSet { get; init; } = [];
    /// <summary>Timer ids to delete whatever their token (cancelled by the workflow).</summary>
    public IReadOnlyList<string> TimersToCancel { get; init; } = [];
    /// <summary>The timer that fired this trigger; deleted only if still the same setting (token).</summary>
    public TimerRecord? FiredTimer { get; init; }
    public IdempotencyOutcome? Idempotency { get; init; }
}

/// <summary>The stored version moved on since the aggregate was loaded: reload and try again.</summary>
public sealed class ConcurrencyConflictException(string message) : Exception(message);
