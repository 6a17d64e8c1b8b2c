using System.Collections.Concurrent;

namespace Bot.Workflows.Idempotency;

/// <summary>
/// A single-process <see cref="IIdempotencyStore"/>. Good for the shell and tests of one instance;
/// the durable stores replace it when several instances run.
/// </summary>
public sealed class InMemoryIdempotencyStore(TimeProvider time) : IIdempotencyStore
{
    private sealed record Entry(DateTimeOffset ExpiresAt, string? Outcome);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public Task<IdempotencyClaim> ClaimAsync(string key, TimeSpan retention, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        while (true)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                if (existing.ExpiresAt > now) return Task.FromResult(new IdempotencyClaim(false, existing.Outcome));
                if (!_entries.TryUpdate(key, new Entry(now + retention, null), existing)) continue;
                return Task.FromResult(IdempotencyClaim.First);
            }
            if (_entries.TryAdd(key, new Entry(now + retention, null)))
            {
                if (_entries.Count > 10_000) Sweep(now);
                return Task.FromResult(IdempotencyClaim.First);
            }
        }
    }

    public Task CompleteAsync(string key, string outcome, CancellationToken cancellationToken)
    {
        _entries.AddOrUpdate(key, _ => new Entry(time.GetUtcNow() + TimeSpan.FromDays(1), outcome), (_, e) => e with { Outcome = outcome });
        return Task.CompletedTask;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (k, v) in _entries)
        {
            if (v.ExpiresAt <= now) _entries.TryRemove(new KeyValuePair<string, Entry>(k, v));
        }
    }
}
