using Bot.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Workflows.Wakeups;

/// <summary>
/// A <see cref="LeasePump{TItem}"/> of one durable work queue (<see cref="IWorkQueueStore"/>): claims the queue's due items, gives
/// one back by deferring it to now, and sleeps until the queue's next item is due. A consumer of a new queue supplies only how
/// to run one item.
/// </summary>
public abstract class WorkQueuePump(IWorkQueueStore store, string queue, LeasePumpSettings settings, Wakeup wakeup, PumpOptions? options, TimeProvider time,
    ILogger logger) : LeasePump<WorkItem>(settings, wakeup, options, time, logger)
{
    /// <summary>The queue's store, for a run's outcome (complete, defer).</summary>
    protected IWorkQueueStore Store { get; } = store;

    protected override Task<IReadOnlyList<WorkItem>> ClaimAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        Store.ClaimWorkAsync(queue, now, Owner, Lease, max, cancellationToken);

    protected override Task GiveBackAsync(WorkItem item, CancellationToken cancellationToken) =>
        Store.DeferWorkAsync(item, Time.GetUtcNow(), "handed back at shutdown", cancellationToken);

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => Store.NextWorkDueAsync(queue, cancellationToken);

    protected override string IdOf(WorkItem item) => item.Id;
}
