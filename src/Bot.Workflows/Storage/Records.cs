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
    /// <summary>The claim's own token (a new one each claim): with <see cref="LeaseOwner"/>, what fences a holder whose lease passed on.</summary>
    public string? LeaseToken { get; init; }

    /// <summary>How many times this setting of the timer was claimed, this claim included.</summary>
    public int Attempts { get; init; }

    /// <summary>Why its last firing failed, if it did.</summary>
    public string? LastError { get; init; }

    /// <summary>When it was given up (a dead letter: it fires no more until an admin replays it); null while it is live.</summary>
    public DateTimeOffset? DeadAt { get; init; }

    /// <summary>The lease this claim holds (null for a timer that was not claimed).</summary>
    public LeaseHold? Lease => LeaseOwner is { } owner && LeaseToken is { } token ? new LeaseHold(owner, token) : null;

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
    /// <summary>Plain text (what the message says without formatting; diagnostics).</summary>
    public required string Text { get; init; }
    /// <summary>The message as the domain described it (<see cref="Messages.ChatContent"/> as JSON); transports render it.</summary>
    public string? ContentJson { get; init; }
    public string? ThreadUnderKey { get; init; }
    public string? UpdateKey { get; init; }
    /// <summary>A top-level post that goes ahead of the posts queued before it in its channel (<see cref="Engine.OutboxDraft.Urgent"/>).</summary>
    public bool Urgent { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public int Attempts { get; init; }
    public string? LeaseOwner { get; init; }
    public DateTimeOffset? LeaseUntil { get; init; }
    /// <summary>The claim's own token (a new one each claim): with <see cref="LeaseOwner"/>, what fences a holder whose lease passed on.</summary>
    public string? LeaseToken { get; init; }

    /// <summary>The lease this claim holds (null for a message that was not claimed).</summary>
    public LeaseHold? Lease => LeaseOwner is { } owner && LeaseToken is { } token ? new LeaseHold(owner, token) : null;
}

/// <summary>Where a delivered message ended up, so threads and edits can find it (for <see cref="Retention"/>).</summary>
public sealed record SentMessage(string Key, string MessageId, string Channel, string Ts, DateTimeOffset SentAt)
{
    /// <summary>
    /// How long both stores keep a delivery record. A card edited later than this is posted again as a new message that then is
    /// the card (no workflow keeps a card that long: a change's rollback stays offered for a day, incidents close in days).
    /// </summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>Whether the record is past its retention at <paramref name="now"/> (expired records may linger until removed).</summary>
    public bool ExpiredAt(DateTimeOffset now) => SentAt + Retention <= now;
}

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
    /// <summary>
    /// The state the stored record is in at <see cref="ExpectedVersion"/> (null for a new one): the workflows counted in it go down by
    /// one and those in the new state up (<see cref="IOperationsStore.CountByStateAsync"/>), in the same write.
    /// </summary>
    public string? PreviousState { get; init; }
    public required AuditDraft Audit { get; init; }
    public IReadOnlyList<OutboxMessage> Messages { get; init; } = [];
    public IReadOnlyList<TimerRecord> TimersToSet { get; init; } = [];
    /// <summary>Timer ids to delete whatever their token (cancelled by the workflow).</summary>
    public IReadOnlyList<string> TimersToCancel { get; init; } = [];
    /// <summary>
    /// The timer that fired this trigger; deleted only if still the same setting (token). When it carries a lease, the unit
    /// commits only while that claim holds the timer (else <see cref="LeaseLostException"/>, nothing written).
    /// </summary>
    public TimerRecord? FiredTimer { get; init; }
    public IdempotencyOutcome? Idempotency { get; init; }
    /// <summary>Durable work started by this transition (e.g. a workflow's activities); an id the store already knows is left as it is.</summary>
    public IReadOnlyList<WorkItem> WorkToAdd { get; init; } = [];
    /// <summary>
    /// The work item this unit of work finishes (e.g. the activity whose result it records); marked completed in the same write.
    /// With a <see cref="WorkCompletion.Lease"/>, the unit commits only while that claim holds the item (else
    /// <see cref="LeaseLostException"/>, nothing written): the fence of a holder whose lease passed to another.
    /// </summary>
    public WorkCompletion? CompleteWork { get; init; }
    /// <summary>
    /// A key from outside (a Slack delivery) this unit claims: it commits only when the key is new (or its earlier claim
    /// expired or was abandoned), and records the key with its outcome; otherwise nothing is written and the commit
    /// throws <see cref="AlreadyClaimedException"/>. One write instead of a claim, the unit and the outcome.
    /// </summary>
    public ClaimedKey? Claim { get; init; }
}

/// <summary>An idempotency key claimed by a unit of work, with the outcome later repeats are told, kept for <paramref name="Retention"/>.</summary>
public sealed record ClaimedKey(string Key, string Outcome, TimeSpan Retention);

/// <summary>A unit of work whose <see cref="UnitOfWork.Claim"/> was claimed before: nothing was written.</summary>
public sealed class AlreadyClaimedException(string key, string? earlierOutcome)
    : Exception($"'{key}' was seen before (outcome: {earlierOutcome ?? "in progress"}); nothing written.")
{
    public string Key { get; } = key;
    public string? EarlierOutcome { get; } = earlierOutcome;
}

/// <summary>
/// A durable job in a named queue: an activity of a workflow (<see cref="WorkQueues.Activities"/>), an inbound
/// webhook waiting to be processed (<see cref="WorkQueues.Inbound"/>), … Workers claim due items with a lease,
/// so two instances never work on the same item at once; an item whose worker died is claimed again when its
/// lease runs out. <see cref="Id"/> is unique in the store and doubles as the deduplication key: once completed,
/// the id is remembered (a tombstone) until <see cref="WorkCompletion.ForgetAfter"/>.
/// </summary>
public sealed record WorkItem
{
    public required string Queue { get; init; }
    public required string Id { get; init; }
    /// <summary>What to do, as JSON (the queue's worker knows the shape).</summary>
    public required string PayloadJson { get; init; }
    /// <summary>The aggregate this work belongs to, if any (for listings and reconciliation).</summary>
    public string? AggregateType { get; init; }
    public string? AggregateId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Not handed out before this time (first attempt, or the next one after a deferral).</summary>
    public required DateTimeOffset DueAt { get; init; }
    /// <summary>How many times it has been claimed, this claim included (1 on the first claim): above 1, an earlier attempt may have got part-way.</summary>
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    public string? LeaseOwner { get; init; }
    public DateTimeOffset? LeaseUntil { get; init; }
    /// <summary>The claim's own token (a new one each claim): with <see cref="LeaseOwner"/>, what fences a holder whose lease passed on.</summary>
    public string? LeaseToken { get; init; }

    /// <summary>When it was given up (a dead letter: claimed no more until an admin replays it); null while it is pending.</summary>
    public DateTimeOffset? DeadAt { get; init; }

    /// <summary>The lease this claim holds (null for an item that was not claimed).</summary>
    public LeaseHold? Lease => LeaseOwner is { } owner && LeaseToken is { } token ? new LeaseHold(owner, token) : null;
}

/// <summary>
/// Finishing a work item: its outcome (kept with the tombstone) and how long its id is remembered. With <see cref="Lease"/>,
/// the completion is fenced: it is written only while that claim still holds the item (else <see cref="LeaseLostException"/>).
/// </summary>
public sealed record WorkCompletion(string Id, string Outcome, DateTimeOffset ForgetAfter)
{
    public LeaseHold? Lease { get; init; }
}

/// <summary>One claim's hold on an item: its holder and the claim's token. A result is recorded only under the same hold.</summary>
public sealed record LeaseHold(string Owner, string Token)
{
    /// <summary>A new token for a claim.</summary>
    public static string NewToken() => Guid.NewGuid().ToString("N");
}

/// <summary>
/// The claim no longer holds its item (its lease ran out and another holder took it, or it was finished or given up since):
/// nothing was written, and whoever holds the item now decides.
/// </summary>
public sealed class LeaseLostException(string message) : Exception(message);

/// <summary>The queue names in use.</summary>
public static class WorkQueues
{
    /// <summary>Side effects of workflow transitions, run after the transition is saved: the changes' lane (deploy, rollback, preflight, watch).</summary>
    public const string Activities = "activity";
    /// <summary>The incidents' lane of activities (PagerDuty calls, escalations), so changes never wait behind a storm.</summary>
    public const string IncidentActivities = "activity-incident";
    /// <summary>Deliveries from outside (e.g. PagerDuty webhooks), stored before they are acknowledged.</summary>
    public const string Inbound = "inbound";
    /// <summary>PagerDuty's webhook events, stored before they are answered and handed to the incidents in order.</summary>
    public const string PagerDutyEvents = "pagerduty-webhooks";
}

/// <summary>The stored version moved on since the aggregate was loaded: reload and try again.</summary>
public sealed class ConcurrencyConflictException(string message) : Exception(message);

/// <summary>A write larger than the store accepts (e.g. DynamoDB's 400 KB per item): refused before anything was written.</summary>
public sealed class StoreLimitExceededException(string message) : Exception(message);

/// <summary>How many timers are due and not fired, and when the oldest of them was due (null when none).</summary>
public sealed record DueTimers(int Count, DateTimeOffset? OldestDueAt);

/// <summary>One running bot instance, as its heartbeat recorded it.</summary>
public sealed record InstanceRecord(string Id, string Host, string Version, DateTimeOffset StartedAt, DateTimeOffset SeenAt);
