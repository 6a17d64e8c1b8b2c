using Bot.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Workflows.Wakeups;

/// <summary>
/// A claimed item's lease while its run is under way (<see cref="LeasePump{TItem}"/>): renewed in the background every third of
/// the lease (a heartbeat), so work that takes longer than the lease (a post waiting out a 429, an AWS call under throttling)
/// keeps its item; and checked again, on demand, right before a side effect that cannot be made idempotent
/// (<see cref="EnsureHeldAsync"/>). When a renewal finds the item held by another claim, or the lease ran out without a
/// renewal getting through, the lease is lost: <see cref="Lost"/> is cancelled, and the run stops without recording
/// anything (its result write is fenced by the claim's token anyway).
/// </summary>
public sealed class ItemLease : IAsyncDisposable
{
    private readonly Func<DateTimeOffset, CancellationToken, Task<bool>> _renew;
    private readonly TimeProvider _time;
    private readonly TimeSpan _length;
    private readonly string _what;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer? _heartbeat;
    private readonly Lock _gate = new();
    private Task _beat = Task.CompletedTask;
    private DateTimeOffset _until;

    /// <param name="renew">Extends the lease to the given time; false when the claim no longer holds the item.</param>
    /// <param name="until">When the lease runs out as claimed.</param>
    public ItemLease(string what, DateTimeOffset until, TimeSpan length, Func<DateTimeOffset, CancellationToken, Task<bool>> renew, TimeProvider time, ILogger logger)
    {
        _what = what;
        _until = until;
        _length = length;
        _renew = renew;
        _time = time;
        _logger = logger;
        // A timer on the pump's clock, started with the claim: a beat every period (one at a time; a beat due while the last
        // is still waiting for the store is skipped).
        if (length > TimeSpan.Zero) _heartbeat = time.CreateTimer(_ => Beat(), null, Period, Period);
    }

    /// <summary>How often the lease is renewed: a third of its length, so two renewals may fail before it runs out.</summary>
    public TimeSpan Period => _length / 3;

    /// <summary>Cancelled when the lease is lost: stop the run, record nothing.</summary>
    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>
    /// Renews the lease now and throws <see cref="LeaseLostException"/> when the item is no longer held by this claim: called
    /// right before a side effect that another holder must not do twice (a post, an alias move, a page).
    /// </summary>
    public async Task EnsureHeldAsync(CancellationToken cancellationToken = default)
    {
        if (IsLost) throw Lost_();
        if (!await RenewOnceAsync(cancellationToken))
        {
            MarkLost("another claim holds it");
            throw Lost_();
        }
    }

    private LeaseLostException Lost_() => new($"The lease of {_what} was lost; another holder has it.");

    private async Task<bool> RenewOnceAsync(CancellationToken cancellationToken)
    {
        var until = _time.GetUtcNow() + _length;
        if (!await _renew(until, cancellationToken)) return false;
        lock (_gate) if (until > _until) _until = until;
        return true;
    }

    private void Beat()
    {
        lock (_gate)
        {
            if (!_beat.IsCompleted || _stop.IsCancellationRequested || IsLost) return;
            _beat = BeatAsync();
        }
    }

    private async Task BeatAsync()
    {
        await Task.Yield();
        try
        {
            if (await RenewOnceAsync(_stop.Token)) return;
            MarkLost("another claim holds it");
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // stopped
        }
        catch (Exception e)
        {
            DateTimeOffset until;
            lock (_gate) until = _until;
            if (_time.GetUtcNow() < until)
            {
                _logger.LogWarning("The lease of {What} could not be renewed ({Error}); trying again", _what, e.Message);
                return;
            }
            MarkLost($"it ran out while the store could not be reached ({e.Message})");
        }
    }

    private void MarkLost(string why)
    {
        if (_lost.IsCancellationRequested) return;
        _logger.LogWarning("The lease of {What} was lost: {Why}; this instance stops working on it", _what, why);
        try
        {
            _lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the run ended meanwhile
        }
    }

    /// <summary>Stops the heartbeat (the run recorded its end, or gave the item back).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_heartbeat is not null) await _heartbeat.DisposeAsync();
        Task beat;
        lock (_gate)
        {
            _stop.Cancel();
            beat = _beat;
        }
        await beat;
        _stop.Dispose();
        _lost.Dispose();
    }
}
