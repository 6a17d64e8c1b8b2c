using Bot.Workflows.Audit;

namespace Bot.Workflows.Storage;

/// <summary>
/// The store's aggregates: load one, list one type, and commit a transition (its state, audit record, messages, timers and
/// work in one atomic write). The engine writes through it; listings and readers (<c>/sb changes</c>, the App Home) only read.
/// </summary>
public interface IAggregateStore
{
    Task<AggregateRecord?> LoadAsync(string aggregateType, string aggregateId, CancellationToken cancellationToken);

    /// <summary>
    /// Aggregates of one type, most recently changed first, changed at or after <paramref name="updatedSince"/> when given,
    /// at most <paramref name="max"/> (for listings such as <c>/sb changes</c>; on DynamoDB the index behind it may lag a moment).
    /// </summary>
    Task<IReadOnlyList<AggregateRecord>> ListAggregatesAsync(string aggregateType, DateTimeOffset? updatedSince, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Every aggregate of one type in one of <paramref name="states"/>, however many and however long ago they changed (the
    /// store pages through them): the open incidents, which a listing of the most recent ones could miss. Most recently
    /// changed first; on DynamoDB the index behind it may lag a moment, and the read costs what reading the type's records does.
    /// </summary>
    Task<IReadOnlyList<AggregateRecord>> ListAggregatesInStatesAsync(string aggregateType, IReadOnlyCollection<string> states, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="work"/> atomically and returns the audit record it appended (with its
    /// sequence number and hash). Throws <see cref="ConcurrencyConflictException"/> when the aggregate's
    /// version is no longer <see cref="UnitOfWork.ExpectedVersion"/>, and <see cref="StoreLimitExceededException"/>
    /// when the store cannot hold it (DynamoDB's item and transaction limits); either way nothing was written.
    /// </summary>
    Task<AuditRecord> CommitAsync(UnitOfWork work, CancellationToken cancellationToken);
}
