using System.Diagnostics.Metrics;
using Bot.Workflows.Storage;
using Bot.Workflows.Wakeups;

namespace Bot.Workflows.Outbox;

/// <summary>
/// The outbox's dead letters as a service: their count (for <c>/sb status</c>, readiness and the
/// <c>securebase.outbox.dead_letters</c> gauge of meter <see cref="MeterName"/>), the list, and replay. The count is the
/// store's, cached: read again when it is older than <see cref="MaxAge"/> (the sender asks after each round, so other
/// instances' dead letters show within that time) and at once after this process gives a message up or replays one.
/// A replay wakes the outbox sender.
/// </summary>
public sealed class DeadLetters(IDeadLetterStore store, TimeProvider time, WorkSignals? signals = null)
{
    public const string MeterName = "SecureBase.Bot.Outbox";
    public const string GaugeName = "securebase.outbox.dead_letters";
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private static readonly Meter Meter = new(MeterName);
    /// <summary>The process's service (one per host; the last one that read the store, when tests make several).</summary>
    private static DeadLetters? _reporting;

    static DeadLetters()
    {
        Meter.CreateObservableGauge(GaugeName, () => _reporting?._count is { } count ? [new Measurement<int>(count)] : Array.Empty<Measurement<int>>(),
            unit: "{message}", description: "Outbox messages given up (dead letters) waiting for an admin: /sb outbox lists and replays them.");
    }

    private int? _count;
    private DateTimeOffset _readAt;

    /// <summary>The last count read from the store; null before the first read.</summary>
    public int? LastKnownCount => _count;

    /// <summary>The count, read from the store when the cached one is older than <paramref name="maxAge"/> (default: always).</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken, TimeSpan? maxAge = null)
    {
        if (_count is { } cached && maxAge is { } age && time.GetUtcNow() - _readAt < age) return cached;
        var count = await store.CountDeadLettersAsync(cancellationToken);
        _count = count;
        _readAt = time.GetUtcNow();
        Register();
        return count;
    }

    public Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken) => store.ListDeadLettersAsync(max, cancellationToken);

    /// <summary>Replays one dead letter (see <see cref="IDeadLetterStore.ReplayDeadLetterAsync"/>) and wakes the sender.</summary>
    public async Task<DeadLetterReplay> ReplayAsync(string messageId, CancellationToken cancellationToken)
    {
        var result = await store.ReplayDeadLetterAsync(messageId, cancellationToken);
        if (result == DeadLetterReplay.Replayed) signals?.Outbox.Signal();
        await CountAsync(cancellationToken);
        return result;
    }

    /// <summary>This process gave a message up: the count is read again on the next ask.</summary>
    public void Changed() => _readAt = DateTimeOffset.MinValue;

    private void Register() => _reporting = this;
}
