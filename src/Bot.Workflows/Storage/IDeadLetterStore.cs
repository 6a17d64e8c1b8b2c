namespace Bot.Workflows.Storage;

/// <summary>
/// What was given up and waits for an admin: outbox messages (<see cref="IOutboxStore.FailOutboxAsync"/>), work items of any queue
/// (activities, webhook events: <see cref="IWorkQueueStore.DeadLetterWorkAsync"/>) and timers
/// (<see cref="ITimerStore.DeadLetterTimerAsync"/>), each kept with its last error until it is replayed.
/// </summary>
public interface IDeadLetterStore
{
    /// <summary>
    /// Messages given up, oldest first, at most <paramref name="max"/>. A dead letter that is an older version of a card whose
    /// newer version was delivered since is dropped on that delivery: it is outdated.
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

    /// <summary>Work items given up (any queue), oldest given up first, at most <paramref name="max"/>; each with its <see cref="WorkItem.DeadAt"/> and last error.</summary>
    Task<IReadOnlyList<WorkItem>> ListDeadWorkAsync(int max, CancellationToken cancellationToken);

    /// <summary>Puts dead work item <paramref name="id"/> back in its queue, due now, with a fresh count of attempts; false when no dead item has that id.</summary>
    Task<bool> ReplayDeadWorkAsync(string id, CancellationToken cancellationToken);

    /// <summary>Timers given up, oldest given up first, at most <paramref name="max"/>; each with its <see cref="TimerRecord.DeadAt"/> and last error.</summary>
    Task<IReadOnlyList<TimerRecord>> ListDeadTimersAsync(int max, CancellationToken cancellationToken);

    /// <summary>Makes dead timer <paramref name="id"/> due now again, with a fresh count of attempts; false when no dead timer has that id.</summary>
    Task<bool> ReplayDeadTimerAsync(string id, CancellationToken cancellationToken);

    /// <summary>How many of each kind were given up and wait for an admin.</summary>
    Task<DeadLetterCounts> CountAllDeadLettersAsync(CancellationToken cancellationToken);
}
