namespace Bot.Workflows.Storage;

/// <summary>
/// Durable timers as the timer pump sees them: claim the due ones under a lease, give back one not fired, remove a spent
/// one. Timers are set and removed with their transition (<see cref="UnitOfWork"/>).
/// </summary>
public interface ITimerStore
{
    /// <summary>
    /// Claims up to <paramref name="max"/> due timers whose lease is free or expired, each under a new
    /// <see cref="TimerRecord.LeaseToken"/>; each claim adds one to <see cref="TimerRecord.Attempts"/>.
    /// </summary>
    Task<IReadOnlyList<TimerRecord>> ClaimDueTimersAsync(DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>Extends the lease of a claimed timer to <paramref name="until"/>; false when that claim no longer holds it.</summary>
    Task<bool> RenewTimerLeaseAsync(TimerRecord timer, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>
    /// A claimed timer whose firing failed: released, to be claimed again at <paramref name="retryAt"/> (if <paramref name="timer"/>'s
    /// claim still holds it), with <paramref name="error"/> kept. Its attempts go on counting, unless <paramref name="countsAsAttempt"/> is
    /// false (it only waits: the claim's attempt is taken back).
    /// </summary>
    Task DeferTimerAsync(TimerRecord timer, DateTimeOffset retryAt, string error, CancellationToken cancellationToken, bool countsAsAttempt = true);

    /// <summary>
    /// Gives up on a claimed timer, if its claim still holds it: it fires no more and waits, with <paramref name="error"/>, as a dead
    /// letter (<see cref="IDeadLetterStore.ListDeadTimersAsync"/>) until an admin replays it or its workflow sets it again.
    /// </summary>
    Task DeadLetterTimerAsync(TimerRecord timer, string error, CancellationToken cancellationToken);

    /// <summary>Deletes a timer if it is still the setting identified by <paramref name="token"/>.</summary>
    Task RemoveTimerAsync(string timerId, string token, CancellationToken cancellationToken);

    /// <summary>Gives back a timer claimed by <see cref="TimerRecord.LeaseOwner"/> and not fired (e.g. at shutdown), so any instance may fire it at once.</summary>
    Task ReleaseTimerAsync(TimerRecord timer, CancellationToken cancellationToken);

    /// <summary>When the earliest timer can next be claimed (due, and its lease over; a dead letter never), if any.</summary>
    Task<DateTimeOffset?> NextTimerDueAsync(CancellationToken cancellationToken);
}
