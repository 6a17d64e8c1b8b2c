using Bot.Workflows.Storage;
using Bot.Workflows.Telemetry;
using Microsoft.Extensions.Logging;

namespace Bot.Workflows.Wakeups;

/// <summary>
/// A <see cref="LeasePump{TItem}"/> of one durable work queue (<see cref="IWorkQueueStore"/>): claims the queue's due items, renews
/// their leases while they run, gives one back by deferring it to now (not counted as an attempt), defers one whose run threw
/// with <see cref="FailureBackoff"/> and gives it up (a dead letter) after a few, and sleeps until the queue's next item is due. A consumer of a new queue supplies only how
/// to run one item.
/// </summary>
public abstract class WorkQueuePump(IWorkQueueStore store, string queue, LeasePumpSettings settings, Wakeup wakeup, PumpOptions? options, TimeProvider time,
    ILogger logger) : LeasePump<WorkItem>(settings, wakeup, options, time, logger)
{
    /// <summary>The queue's store, for a run's outcome (complete, defer).</summary>
    protected IWorkQueueStore Store { get; } = store;

    protected override Task<IReadOnlyList<WorkItem>> ClaimAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        Store.ClaimWorkAsync(queue, now, Owner, Lease, max, cancellationToken);

    protected override Task<bool> RenewAsync(WorkItem item, DateTimeOffset until, CancellationToken cancellationToken) =>
        Store.RenewWorkLeaseAsync(item, until, cancellationToken);

    protected override Task GiveBackAsync(WorkItem item, CancellationToken cancellationToken) =>
        Store.DeferWorkAsync(item, Time.GetUtcNow(), "handed back at shutdown", cancellationToken, countsAsAttempt: false);

    protected override Task LeaveAsync(WorkItem item, DateTimeOffset until, string why, CancellationToken cancellationToken) =>
        Store.DeferWorkAsync(item, until, why, cancellationToken, countsAsAttempt: false);

    /// <summary>
    /// A run that threw is tried again after <see cref="FailureBackoff"/> (the claim counted as an attempt); after
    /// <see cref="LeasePump{TItem}.GiveUpAfter"/> attempts it is a dead letter (<see cref="GiveUpAsync"/>).
    /// </summary>
    protected override Task FailedAsync(WorkItem item, Exception error, CancellationToken cancellationToken) =>
        item.Attempts >= GiveUpAfter
            ? GiveUpAsync(item, $"{error.GetType().Name}: {error.Message}", cancellationToken)
            : Store.DeferWorkAsync(item, Time.GetUtcNow() + FailureBackoff(item.Attempts), $"{error.GetType().Name}: {error.Message}", cancellationToken);

    /// <summary>
    /// Gives the item up: a dead letter with <paramref name="error"/>, claimed no more until an admin replays it
    /// (<c>/sb deadletters</c>), counted in <c>/sb status</c>.
    /// </summary>
    protected async Task GiveUpAsync(WorkItem item, string error, CancellationToken cancellationToken)
    {
        Logger.LogError("{Queue} item {Id} given up after {Attempts} attempt(s): {Error}; it waits as a dead letter (/sb deadletters)", queue, item.Id, item.Attempts, error);
        await Store.DeadLetterWorkAsync(item, error, cancellationToken);
        BotTelemetry.GaveUp(queue, "gave_up");
    }

    /// <summary>How long after a run that threw its item is tried again: 2 s, 4 s, 8 s … up to 5 minutes.</summary>
    public static TimeSpan FailureBackoff(int attempts) => TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, Math.Clamp(attempts, 1, 16))));

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => Store.NextWorkDueAsync(queue, cancellationToken);

    protected override string IdOf(WorkItem item) => item.Id;
}
