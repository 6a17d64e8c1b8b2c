namespace Bot.Workflows.Storage;

/// <summary>The messages the outbox gave up (<see cref="IOutboxStore.FailOutboxAsync"/>), kept for an admin to list and replay.</summary>
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
}
