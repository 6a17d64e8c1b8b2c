using Bot.Workflows.Audit;
using Bot.Workflows.Idempotency;

namespace Bot.Workflows.Storage;

/// <summary>
/// Durable storage for the workflow engine. Two implementations (SQLite, DynamoDB) pass one contract
/// suite. It is also the durable <see cref="IIdempotencyStore"/>.
/// </summary>
public interface IWorkflowStore : IIdempotencyStore
{
    /// <summary>Creates the schema / table when missing (and allowed).</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<AggregateRecord?> LoadAsync(string aggregateType, string aggregateId, CancellationToken cancellationToken);

    /// <summary>
    /// Aggregates of one type, most recently changed first, changed at or after <paramref name="updatedSince"/> when given,
    /// at most <paramref name="max"/> (for listings such as <c>/sb changes</c>; on DynamoDB the index behind it may lag a moment).
    /// </summary>
    Task<IReadOnlyList<AggregateRecord>> ListAggregatesAsync(string aggregateType, DateTimeOffset? updatedSince, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="work"/> atomically and returns the audit record it appended (with its
    /// sequence number and hash). Throws <see cref="ConcurrencyConflictException"/> when the aggregate's
    /// version is no longer <see cref="UnitOfWork.ExpectedVersion"/>, and <see cref="StoreLimitExceededException"/>
    /// when the store cannot hold it (DynamoDB's item and transaction limits); either way nothing was written.
    /// </summary>
    Task<AuditRecord> CommitAsync(UnitOfWork work, CancellationToken cancellationToken);

    /// <summary>Audit records matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>The whole audit chain, oldest first.</summary>
    IAsyncEnumerable<AuditRecord> ReadAuditChainAsync(CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="max"/> due timers whose lease is free or expired.</summary>
    Task<IReadOnlyList<TimerRecord>> ClaimDueTimersAsync(DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>Deletes a timer if it is still the setting identified by <paramref name="token"/>.</summary>
    Task RemoveTimerAsync(string timerId, string token, CancellationToken cancellationToken);

    /// <summary>When the earliest timer is due, if any.</summary>
    Task<DateTimeOffset?> NextTimerDueAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Claims, for each channel whose pacing allows it now, the oldest undelivered message (only the head:
    /// message 2 of a channel is never handed out before message 1 is delivered or given up).
    /// </summary>
    Task<IReadOnlyList<OutboxMessage>> ClaimOutboxAsync(DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>The delivered message with this key, if any.</summary>
    Task<SentMessage?> FindSentAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Records the delivery (the <c>ts</c>) and paces its channel until <paramref name="channelNextAt"/>; removes the message
    /// if <paramref name="message"/>'s lease owner still holds it. A sender whose lease ran out and was taken over leaves the
    /// message to its new holder, which finds this delivery record and finishes the message without posting it again.
    /// </summary>
    Task CompleteOutboxAsync(OutboxMessage message, SentMessage sent, DateTimeOffset channelNextAt, CancellationToken cancellationToken);

    /// <summary>Releases the message for a later attempt and holds its whole channel until <paramref name="channelNextAt"/>.</summary>
    Task DeferOutboxAsync(OutboxMessage message, DateTimeOffset channelNextAt, string error, CancellationToken cancellationToken);

    /// <summary>Gives up on a message (permanent failure), if <paramref name="message"/>'s lease owner still holds it: it leaves the queue so the channel moves on.</summary>
    Task FailOutboxAsync(OutboxMessage message, string error, CancellationToken cancellationToken);

    /// <summary>Messages still waiting (for diagnostics and tests).</summary>
    Task<int> CountPendingOutboxAsync(CancellationToken cancellationToken);

    // ---------------------------------------------------------------- dead letters

    /// <summary>
    /// Messages given up by <see cref="FailOutboxAsync"/>, oldest first, at most <paramref name="max"/>. A dead letter that
    /// is an older version of a card whose newer version was delivered since is dropped on that delivery: it is outdated.
    /// </summary>
    Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int max, CancellationToken cancellationToken);

    /// <summary>How many messages were given up and wait for an admin (<c>/sb outbox</c>).</summary>
    Task<int> CountDeadLettersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Puts dead letter <paramref name="messageId"/> back at the end of its channel's queue with a fresh count of attempts,
    /// in one atomic step; an outdated version of a card (a newer message of the same card is queued or given up too) is
    /// dropped instead (<see cref="DeadLetterReplay.Superseded"/>).
    /// </summary>
    Task<DeadLetterReplay> ReplayDeadLetterAsync(string messageId, CancellationToken cancellationToken);

    // ---------------------------------------------------------------- durable work queue

    /// <summary>
    /// Adds <paramref name="item"/> on its own (e.g. a webhook delivery, before it is acknowledged). Returns false,
    /// changing nothing, when the id is already known: pending, or completed and not yet forgotten.
    /// </summary>
    Task<bool> EnqueueWorkAsync(WorkItem item, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> pending items of <paramref name="queue"/> that are due and whose lease is
    /// free or expired, oldest due first; each claim adds one to <see cref="WorkItem.Attempts"/>.
    /// </summary>
    Task<IReadOnlyList<WorkItem>> ClaimWorkAsync(string queue, DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>Releases a claimed item for a later attempt at <paramref name="dueAt"/>, if <paramref name="item"/>'s lease owner still holds it.</summary>
    Task DeferWorkAsync(WorkItem item, DateTimeOffset dueAt, string error, CancellationToken cancellationToken);

    /// <summary>Marks an item completed on its own (when no transition records it). Completing twice is harmless.</summary>
    Task CompleteWorkAsync(WorkCompletion completion, CancellationToken cancellationToken);

    /// <summary>When the earliest pending item of <paramref name="queue"/> is due, if any.</summary>
    Task<DateTimeOffset?> NextWorkDueAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Pending (not completed) items of <paramref name="queue"/>, oldest due first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<WorkItem>> ListPendingWorkAsync(string queue, int max, CancellationToken cancellationToken);

    // ---------------------------------------------------------------- operations (status, metrics, shutdown)

    /// <summary>Gives back a timer claimed by <see cref="TimerRecord.LeaseOwner"/> and not fired (e.g. at shutdown), so any instance may fire it at once.</summary>
    Task ReleaseTimerAsync(TimerRecord timer, CancellationToken cancellationToken);

    /// <summary>Timers due at <paramref name="now"/> and not fired yet, and when the oldest of them was due.</summary>
    Task<DueTimers> CountDueTimersAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records that an instance of the bot is alive (a heartbeat; the same id overwrites its earlier record).</summary>
    Task RecordInstanceAsync(InstanceRecord instance, CancellationToken cancellationToken);

    /// <summary>Instances whose last heartbeat is at or after <paramref name="seenSince"/>, most recently seen first.</summary>
    Task<IReadOnlyList<InstanceRecord>> ListInstancesAsync(DateTimeOffset seenSince, CancellationToken cancellationToken);
}
