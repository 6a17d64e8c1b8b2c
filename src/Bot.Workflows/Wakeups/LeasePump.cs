using Bot.Workflows.Engine;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Workflows.Wakeups;

/// <summary>How a <see cref="LeasePump{TItem}"/> claims and runs its work.</summary>
/// <param name="Name">The pump's name in logs (e.g. <c>Timer pump</c>).</param>
/// <param name="Lease">How long a claimed item is held before another instance may take it.</param>
/// <param name="BatchSize">How many items one claim takes at the most.</param>
/// <param name="Concurrency">How many items of a batch run at once; 1 runs them one after another, in the order claimed.</param>
/// <param name="ClaimUntilDrained">
/// Whether a round claims again while its claims come back full (false: one claim a round, e.g. the outbox, whose claim takes
/// one message per channel).
/// </param>
/// <param name="GiveUpAfter">
/// After how many runs that threw (claims of the item) it is given up: a dead letter, kept for an admin to list and replay.
/// </param>
public sealed record LeasePumpSettings(string Name, TimeSpan Lease, int BatchSize, int Concurrency = 1, bool ClaimUntilDrained = true, int GiveUpAfter = 8);

/// <summary>
/// A pump of leased work (timers, activities, outbox messages, webhook events): each round claims a batch under a lease, so two
/// instances never take the same item at once and a dead instance's items come back when their lease runs out; runs each item
/// while a heartbeat renews its lease (<see cref="ItemLease"/>: work may take longer than the lease, a dead instance's still
/// comes back after it); and claims again while its claims come back full. Each claim has its own token, and whatever records
/// an item's end is fenced by it: a holder whose lease passed to another records nothing and stops (<see cref="LeaseLostException"/>).
/// An item whose run throws is handed to <see cref="FailedAsync"/> on its own, so one poisoned item never strands its batch. Between rounds it sleeps (<see cref="PumpLoop"/>) until the next due time
/// it reports, a signal on its <see cref="Wakeup"/>, or the idle poll. At shutdown the items under way are finished and those
/// claimed but not started are given back at once, so another instance takes them without waiting for their lease.
/// A kind of work supplies only what is its own: what to claim, how to run one item, how to give one back, when more is due.
/// </summary>
public abstract class LeasePump<TItem>
{
    private readonly LeasePumpSettings _settings;
    private readonly Wakeup _wakeup;
    private readonly TimeSpan _idlePoll;

    /// <param name="options">The idle poll (<see cref="PumpOptions.IdlePoll"/>); the defaults when null.</param>
    protected LeasePump(LeasePumpSettings settings, Wakeup wakeup, PumpOptions? options, TimeProvider time, ILogger logger)
    {
        _settings = settings;
        _wakeup = wakeup;
        _idlePoll = (options ?? new PumpOptions()).IdlePoll;
        Time = time;
        Logger = logger;
    }

    /// <summary>How long a claimed item is held before another instance may take it.</summary>
    public TimeSpan Lease => _settings.Lease;

    /// <summary>After how many runs that threw an item is given up (<see cref="LeasePumpSettings.GiveUpAfter"/>).</summary>
    public int GiveUpAfter => _settings.GiveUpAfter;

    /// <summary>This instance's name in leases.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    protected TimeProvider Time { get; }

    protected ILogger Logger { get; }

    /// <summary>
    /// One round: claims and runs every due item. Returns how many were settled (what <see cref="RunOneAsync"/> counts). An item
    /// under way when <paramref name="cancellationToken"/> is cancelled (shutdown) is finished; those claimed but not started are
    /// given back.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken) => (await RoundAsync(cancellationToken)).Settled;

    private long _roundsStarted;
    private long _lastEmptyRound;

    /// <summary>How many rounds have begun (each is numbered from 1 as it begins).</summary>
    public long RoundsStarted => Interlocked.Read(ref _roundsStarted);

    /// <summary>
    /// The number of the latest round that found nothing to claim (0 before any): a round numbered above what
    /// <see cref="RoundsStarted"/> said at some moment looked at the store after it, so what is queued is not due yet.
    /// </summary>
    public long LastEmptyRound => Interlocked.Read(ref _lastEmptyRound);

    /// <summary>Runs rounds until cancelled: when more is due, when this process signals new work, and every idle poll.</summary>
    public virtual Task RunAsync(CancellationToken cancellationToken) =>
        PumpLoop.RunAsync(_settings.Name, async ct =>
        {
            var round = await RoundAsync(ct);
            return new PumpRound(round.Claimed, await NextDueAsync(ct));
        }, _wakeup, _idlePoll, Time, Logger, cancellationToken);

    /// <summary>Claims up to <paramref name="max"/> items due at <paramref name="now"/> for <see cref="Owner"/>, for <see cref="Lease"/>.</summary>
    protected abstract Task<IReadOnlyList<TItem>> ClaimAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>Before a claimed batch runs: reads what its items share (e.g. what else is pending). Nothing by default.</summary>
    protected virtual Task BeginBatchAsync(IReadOnlyList<TItem> batch, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs one claimed item to an end: done, deferred for a later attempt, or given up, each recorded in the store under the
    /// claim's token. True when it counts as settled for <see cref="RunOnceAsync"/>. It is not cancelled at shutdown (what is
    /// under way is finished), only when its <paramref name="lease"/> is lost (<see cref="ItemLease.Lost"/>); before a side
    /// effect that must not happen twice it calls <see cref="ItemLease.EnsureHeldAsync"/>.
    /// </summary>
    protected abstract Task<bool> RunOneAsync(TItem item, ItemLease lease);

    /// <summary>Extends a claimed item's lease to <paramref name="until"/>; false when its claim no longer holds it.</summary>
    protected abstract Task<bool> RenewAsync(TItem item, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>
    /// A run threw (a bug, a store error while recording the result, a record that cannot be read): record the failure on the
    /// item alone — a later attempt with backoff, or after <see cref="GiveUpAfter"/> claims a dead letter — so the rest of the
    /// batch runs and the item does not come back first every round. By default it is left to its lease.
    /// </summary>
    protected virtual Task FailedAsync(TItem item, Exception error, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Gives back a claimed item that was not run (at shutdown), so any instance may take it at once.</summary>
    protected abstract Task GiveBackAsync(TItem item, CancellationToken cancellationToken);

    /// <summary>
    /// Leaves a claimed item alone until <paramref name="until"/> without counting the claim as an attempt (it did not fail: a
    /// newer version of the bot saved what it acts on).
    /// </summary>
    protected abstract Task LeaveAsync(TItem item, DateTimeOffset until, string why, CancellationToken cancellationToken);

    /// <summary>The earliest time more work is due, as far as this pump knows (read after each round of <see cref="RunAsync"/>).</summary>
    protected abstract Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>The item's id, for logs.</summary>
    protected abstract string IdOf(TItem item);

    private async Task<(int Claimed, int Settled)> RoundAsync(CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _roundsStarted);
        var claimed = 0;
        var settled = 0;
        while (true)
        {
            var claimedAt = Time.GetUtcNow();
            var batch = await ClaimAsync(claimedAt, _settings.BatchSize, cancellationToken);
            claimed += batch.Count;
            if (batch.Count > 0) settled += await RunBatchAsync(batch, claimedAt + Lease, cancellationToken);
            if (cancellationToken.IsCancellationRequested || !_settings.ClaimUntilDrained || batch.Count < _settings.BatchSize)
            {
                if (claimed == 0) Interlocked.Exchange(ref _lastEmptyRound, number);
                return (claimed, settled);
            }
        }
    }

    private async Task<int> RunBatchAsync(IReadOnlyList<TItem> batch, DateTimeOffset leaseUntil, CancellationToken stopping)
    {
        // Every item's lease is held from the claim: those waiting for their turn keep it too.
        var leases = batch.Select(item => new ItemLease(IdOf(item), leaseUntil, Lease, (until, ct) => RenewAsync(item, until, ct), Time, Logger)).ToList();
        try
        {
            await BeginBatchAsync(batch, stopping);
            var settled = 0;
            // No token for the loop itself: a stop must not abandon items mid-run; each item looks at it before it starts.
            await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), new ParallelOptions { MaxDegreeOfParallelism = _settings.Concurrency }, async (i, _) =>
            {
                if (await HoldAsync(batch[i], leases[i], stopping)) Interlocked.Increment(ref settled);
            });
            return settled;
        }
        finally
        {
            foreach (var lease in leases) await lease.DisposeAsync();
        }
    }

    /// <summary>
    /// The one place a claimed item's lease is held and released: from its claim until its run has recorded an end (the store
    /// then lets go of it), or until it is given back. Its heartbeat renews it meanwhile; a run whose lease was lost ends
    /// without recording anything; a run that throws is recorded as the item's failure alone. A stop before the item started
    /// gives it back instead of running it.
    /// </summary>
    private async Task<bool> HoldAsync(TItem item, ItemLease lease, CancellationToken stopping)
    {
        if (!stopping.IsCancellationRequested && !lease.IsLost)
        {
            try
            {
                return await RunOneAsync(item, lease);
            }
            catch (Exception e) when (e is LeaseLostException || (e is OperationCanceledException && lease.IsLost))
            {
                Logger.LogWarning("{Pump}: {Item} was taken over by another holder (its lease was lost); nothing more is done with it here", _settings.Name, IdOf(item));
                return false;
            }
            catch (WrittenByNewerVersionException e)
            {
                // A rolling deploy: a newer version of the bot saved what this item acts on. Not a failure: left for a while, for an
                // instance that knows it (or for this one, once the deploy has replaced it).
                Logger.LogWarning("{Pump}: {Item} is left for a newer version of the bot: {Reason}", _settings.Name, IdOf(item), e.Message);
                try
                {
                    await LeaveAsync(item, Time.GetUtcNow() + WrittenByNewerVersionException.LeaveFor, e.Message, CancellationToken.None);
                }
                catch (Exception leaving) when (leaving is not LeaseLostException)
                {
                    Logger.LogWarning(leaving, "{Pump}: {Item} could not be left; it is taken again when its lease runs out", _settings.Name, IdOf(item));
                }
                catch (LeaseLostException)
                {
                    // Another holder has it.
                }
                return false;
            }
            catch (Exception e)
            {
                Logger.LogError(e, "{Pump}: {Item} failed", _settings.Name, IdOf(item));
                try
                {
                    await FailedAsync(item, e, CancellationToken.None);
                }
                catch (Exception recording) when (recording is not LeaseLostException)
                {
                    Logger.LogWarning(recording, "{Pump}: the failure of {Item} could not be recorded; it is taken again when its lease runs out", _settings.Name, IdOf(item));
                }
                catch (LeaseLostException)
                {
                    // Another holder has it.
                }
                return false;
            }
        }
        if (lease.IsLost) return false;
        try
        {
            await GiveBackAsync(item, CancellationToken.None);
            Logger.LogInformation("{Pump}: {Item} given back at shutdown", _settings.Name, IdOf(item));
        }
        catch (Exception e)
        {
            Logger.LogWarning(e, "{Pump}: {Item} could not be given back; it is taken again when its lease runs out", _settings.Name, IdOf(item));
        }
        return false;
    }
}
