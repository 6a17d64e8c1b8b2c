namespace Bot.Workflows.Storage;

/// <summary>A message the outbox gave up on (a permanent failure, or too many transient ones), waiting for an admin.</summary>
public sealed record DeadLetter(OutboxMessage Message, string Error, DateTimeOffset FailedAt);

/// <summary>What replaying a dead letter did.</summary>
public enum DeadLetterReplay
{
    /// <summary>Back at the end of its channel's queue, with a fresh count of attempts.</summary>
    Replayed,
    /// <summary>
    /// An older version of a card that a newer message of the same card (queued, or given up too) replaces: sending it
    /// would put an outdated card over the current one, so it was dropped instead.
    /// </summary>
    Superseded,
    /// <summary>No dead letter has that id (replayed or dropped already).</summary>
    NotFound,
}

/// <summary>How many items of each kind were given up: outbox messages, work items by queue, timers.</summary>
public sealed record DeadLetterCounts(int Messages, IReadOnlyDictionary<string, int> WorkByQueue, int Timers)
{
    public static readonly DeadLetterCounts None = new(0, new Dictionary<string, int>(), 0);

    /// <summary>Work items given up in <paramref name="queue"/>.</summary>
    public int Work(string queue) => WorkByQueue.GetValueOrDefault(queue);

    public int Total => Messages + WorkByQueue.Values.Sum() + Timers;
}
