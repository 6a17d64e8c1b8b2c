using System.Collections.Concurrent;
using Bot.Workflows.Storage;

namespace Bot.Workflows.Wakeups;

/// <summary>
/// The wake-up calls of this process's pumps: the outbox, the timers and each work queue. Whoever saves work
/// (the engine after a commit, a webhook inbox after it stored a delivery, an admin replaying a dead letter) calls
/// the matching <see cref="Wakeup.Signal"/>, and the pump runs at once instead of polling. One per process
/// (a singleton); other instances' work is found by the pumps' idle poll.
/// </summary>
public sealed class WorkSignals
{
    private readonly ConcurrentDictionary<string, Wakeup> _queues = new(StringComparer.Ordinal);

    public Wakeup Outbox { get; } = new();

    public Wakeup Timers { get; } = new();

    /// <summary>The wake-up call of work queue <paramref name="queue"/> (e.g. <see cref="WorkQueues.Activities"/>).</summary>
    public Wakeup Queue(string queue) => _queues.GetOrAdd(queue, _ => new Wakeup());

    /// <summary>Wakes the pump of every work queue this process knows (e.g. after a dead item of an unknown queue was replayed).</summary>
    public void AllQueues()
    {
        foreach (var wakeup in _queues.Values) wakeup.Signal();
    }

    /// <summary>Wakes the pumps that have something to do after <paramref name="work"/> was saved.</summary>
    public void Committed(UnitOfWork work)
    {
        if (work.Messages.Count > 0) Outbox.Signal();
        if (work.TimersToSet.Count > 0) Timers.Signal(work.TimersToSet.Min(t => t.DueAt));
        foreach (var queue in work.WorkToAdd.GroupBy(w => w.Queue, StringComparer.Ordinal))
            Queue(queue.Key).Signal(queue.Min(w => w.DueAt));
    }
}
