using Bot.Workflows.Idempotency;

namespace Bot.Workflows.Storage;

/// <summary>
/// Durable storage for the workflow engine: the union of the roles its workers use, for registration, the store's own
/// start-up and the contract suite. Two implementations (SQLite, DynamoDB) pass that suite. A worker takes only the role it
/// uses (<see cref="IAggregateStore"/>, <see cref="ITimerStore"/>, <see cref="IOutboxStore"/>, <see cref="IDeadLetterStore"/>,
/// <see cref="IWorkQueueStore"/>, <see cref="IAuditStore"/>, <see cref="IIdempotencyStore"/>, <see cref="IOperationsStore"/>),
/// so a new kind of work widens the store and its one consumer, not every worker.
/// </summary>
public interface IWorkflowStore : IAggregateStore, IAuditStore, ITimerStore, IOutboxStore, IDeadLetterStore, IWorkQueueStore, IIdempotencyStore,
    IOperationsStore
{
    /// <summary>Creates the schema / table when missing (and allowed).</summary>
    Task InitializeAsync(CancellationToken cancellationToken);
}
