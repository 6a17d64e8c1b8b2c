namespace Bot.Workflows.Idempotency;

/// <summary>What a claim found: the first sighting of a key, or a repeat with the earlier outcome (if recorded yet).</summary>
public sealed record IdempotencyClaim(bool IsFirst, string? EarlierOutcome)
{
    public static readonly IdempotencyClaim First = new(true, null);

    /// <summary>A claimed key with no outcome after this long belonged to an attempt that died; it may be claimed again.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(2);
}

/// <summary>
/// Remembers keys of things that arrive from outside (Slack <c>event_id</c>, button clicks, PagerDuty
/// webhook ids) so a retry or a second instance sees the earlier outcome instead of acting twice.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>Atomically claims <paramref name="key"/>; only one caller ever gets <c>IsFirst = true</c> within <paramref name="retention"/>.</summary>
    Task<IdempotencyClaim> ClaimAsync(string key, TimeSpan retention, CancellationToken cancellationToken);

    /// <summary>Records the outcome for a claimed key, returned to later claimers.</summary>
    Task CompleteAsync(string key, string outcome, CancellationToken cancellationToken);
}
