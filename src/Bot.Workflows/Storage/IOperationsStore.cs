namespace Bot.Workflows.Storage;

/// <summary>What the operators' views read (status, metrics, readiness): backlogs and the instances alive.</summary>
public interface IOperationsStore
{
    /// <summary>Outbox messages still waiting (for status, the readiness probe and tests).</summary>
    Task<int> CountPendingOutboxAsync(CancellationToken cancellationToken);

    /// <summary>
    /// When the oldest outbox message still waiting was created (the head of the queue; a dead letter no longer waits),
    /// or null when none waits: how late Slack delivery is running.
    /// </summary>
    Task<DateTimeOffset?> OldestPendingOutboxAsync(CancellationToken cancellationToken);

    /// <summary>Timers due at <paramref name="now"/> and not fired yet, and when the oldest of them was due.</summary>
    Task<DueTimers> CountDueTimersAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// How many workflows of <paramref name="aggregateType"/> are in each state (states with none left out), from counters the
    /// store keeps in the write that moves a workflow: no workflow is read. A count can be off after a version of the bot that did
    /// not keep them wrote (a rolling deploy from an older release) until <see cref="RecountAsync"/> puts it right.
    /// </summary>
    Task<IReadOnlyDictionary<string, long>> CountByStateAsync(string aggregateType, CancellationToken cancellationToken);

    /// <summary>
    /// Counts the stored workflows of <paramref name="aggregateType"/> anew and replaces the counters with the result, unless a commit
    /// could be missed by it (the store's last commit is too recent) or landed meanwhile: then it writes nothing and returns false
    /// (try later). Reads every workflow of the type: for start-up and an hourly check, not for each status read.
    /// </summary>
    Task<bool> RecountAsync(string aggregateType, CancellationToken cancellationToken);

    /// <summary>Records that an instance of the bot is alive (a heartbeat; the same id overwrites its earlier record).</summary>
    Task RecordInstanceAsync(InstanceRecord instance, CancellationToken cancellationToken);

    /// <summary>Instances whose last heartbeat is at or after <paramref name="seenSince"/>, most recently seen first.</summary>
    Task<IReadOnlyList<InstanceRecord>> ListInstancesAsync(DateTimeOffset seenSince, CancellationToken cancellationToken);
}
