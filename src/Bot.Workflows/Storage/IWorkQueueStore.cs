namespace Bot.Workflows.Storage;

/// <summary>
/// Durable work queues, each named by its consumer (<see cref="WorkQueues.Activities"/>, the PagerDuty inbox): add an item,
/// claim due ones under a lease, defer or complete each. A new queue is a new name, not a new member.
/// </summary>
public interface IWorkQueueStore
{
    /// <summary>
    /// Adds <paramref name="item"/> on its own (e.g. a webhook delivery, before it is acknowledged). Returns false,
    /// changing nothing, when the id is already known: pending, or completed and not yet forgotten.
    /// </summary>
    Task<bool> EnqueueWorkAsync(WorkItem item, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> pending items of <paramref name="queue"/> that are due and whose lease is
    /// free or expired, oldest due first, each under a new <see cref="WorkItem.LeaseToken"/>; each claim adds one to
    /// <see cref="WorkItem.Attempts"/>.
    /// </summary>
    Task<IReadOnlyList<WorkItem>> ClaimWorkAsync(string queue, DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>Extends the lease of a claimed item to <paramref name="until"/>; false when that claim no longer holds it.</summary>
    Task<bool> RenewWorkLeaseAsync(WorkItem item, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>
    /// Releases a claimed item for a later attempt at <paramref name="dueAt"/>, if <paramref name="item"/>'s claim still holds it.
    /// When <paramref name="countsAsAttempt"/> is false (the item only waits, e.g. for an earlier one), the claim's attempt is
    /// taken back.
    /// </summary>
    Task DeferWorkAsync(WorkItem item, DateTimeOffset dueAt, string error, CancellationToken cancellationToken, bool countsAsAttempt = true);

    /// <summary>
    /// Gives up on a claimed item, if <paramref name="item"/>'s claim still holds it: it is claimed no more and waits, with
    /// <paramref name="error"/>, as a dead letter (<see cref="IDeadLetterStore.ListDeadWorkAsync"/>) until an admin replays it.
    /// </summary>
    Task DeadLetterWorkAsync(WorkItem item, string error, CancellationToken cancellationToken);

    /// <summary>
    /// Marks an item completed on its own (when no transition records it). Completing twice is harmless; a completion with a
    /// <see cref="WorkCompletion.Lease"/> is written only while that claim holds the item, else it throws <see cref="LeaseLostException"/>.
    /// </summary>
    Task CompleteWorkAsync(WorkCompletion completion, CancellationToken cancellationToken);

    /// <summary>When the earliest pending item of <paramref name="queue"/> is due, if any (a dead letter is not pending).</summary>
    Task<DateTimeOffset?> NextWorkDueAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Pending items of <paramref name="queue"/> (neither completed nor given up), oldest due first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<WorkItem>> ListPendingWorkAsync(string queue, int max, CancellationToken cancellationToken);
}
