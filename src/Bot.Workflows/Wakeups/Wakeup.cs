namespace Bot.Workflows.Wakeups;

/// <summary>Why <see cref="Wakeup.WaitAsync"/> returned.</summary>
public enum WakeReason
{
    /// <summary>Someone in this process saved work that is due now.</summary>
    Signalled,
    /// <summary>The earliest known due time came (one the pump knew, or one a signal announced).</summary>
    Due,
    /// <summary>Nothing happened for the idle poll interval: look for other instances' work.</summary>
    IdlePoll,
}

/// <summary>
/// The wake-up call of one pump (outbox, timers, a work queue). A pump sleeps until work it knows of is due, until
/// something in this process saved new work (<see cref="Signal"/>, called after the commit), or until the slow idle
/// poll that finds work other instances left (a dead instance's expired leases). So an idle instance reads the
/// store only once per idle poll instead of several times a second. A signal that arrives while the pump is busy is
/// kept for its next wait, so no wake-up is lost.
/// </summary>
public sealed class Wakeup
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = NewSource();
    private bool _dueNow;
    private DateTimeOffset? _earliest;

    /// <summary>New work was saved, due at <paramref name="dueAt"/> (now when null).</summary>
    public void Signal(DateTimeOffset? dueAt = null)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (dueAt is null) _dueNow = true;
            else _earliest = Earliest(_earliest, dueAt);
            changed = _changed;
        }
        changed.TrySetResult();
    }

    /// <summary>
    /// Waits until a signal for work due now, until <paramref name="next"/> or a signalled due time comes, or until
    /// <paramref name="pollAt"/>, whichever is first (on <paramref name="time"/>; all three are points in time, so a
    /// deadline that passed before the wait began ends it at once).
    /// </summary>
    public async Task<WakeReason> WaitAsync(DateTimeOffset? next, DateTimeOffset pollAt, TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            DateTimeOffset deadline;
            lock (_gate)
            {
                if (_dueNow)
                {
                    _dueNow = false;
                    _earliest = null;
                    return WakeReason.Signalled;
                }
                deadline = Earliest(Earliest(next, _earliest), pollAt)!.Value;
                if (deadline <= time.GetUtcNow())
                {
                    _earliest = null;
                    return deadline == pollAt && (next is null || next > pollAt) ? WakeReason.IdlePoll : WakeReason.Due;
                }
                if (_changed.Task.IsCompleted) _changed = NewSource();
                changed = _changed.Task;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(deadline - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stop.Token);
            // A clock that jumped between reading it and starting the delay (a test's fake one) is caught here.
            if (deadline > time.GetUtcNow()) await Task.WhenAny(delay, changed);
            await stop.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
