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

    /// <summary>Deletes a timer if it is still the setting identified by <paramref name="token"/>.</summary>
    Task RemoveTimerAsync(string timerId, string token, CancellationToken cancellationToken);

    /// <summary>Gives back a timer claimed by <see cref="TimerRecord.LeaseOwner"/> and not fired (e.g. at shutdown), so any instance may fire it at once.</summary>
    Task ReleaseTimerAsync(TimerRecord timer, CancellationToken cancellationToken);

    /// <summary>When the earliest timer can next be claimed (due, and its lease over), if any.</summary>
    Task<DateTimeOffset?> NextTimerDueAsync(CancellationToken cancellationToken);
}
