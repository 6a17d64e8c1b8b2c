using Bot.Workflows.Ports;

namespace Bot.Commands.DataLifecycle;

/// <summary>What a dry run of the session clean-up found: how many, the oldest, a sample, and how they stand against TTL.</summary>
public sealed record SessionScanResult(long Old, long StillValid, long PastTtlWindow, DateTimeOffset? Oldest, IReadOnlyList<SessionKey> Sample, long Scanned);

/// <summary>Reads a whole user-sessions table for the sessions created before a cut-off (the clean-up's dry run).</summary>
public static class SessionScan
{
    public const int PageSize = 5000;
    public const int SampleSize = 5;
    /// <summary>How long after expiry AWS's TTL usually deletes an item ("typically within a few days"; the bot gives it 48 h).</summary>
    public static readonly TimeSpan TtlWindow = TimeSpan.FromHours(48);

    public static async Task<SessionScanResult> RunAsync(ISessionItems sessions, string table, long cutoff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long old = 0, valid = 0, pastTtl = 0, scanned = 0;
        long? oldest = null;
        var sample = new List<SessionKey>();
        var nowEpoch = now.ToUnixTimeSeconds();
        var ttlLimit = (now - TtlWindow).ToUnixTimeSeconds();
        string? cursor = null;
        do
        {
            var page = await sessions.ScanOlderThanAsync(table, cutoff, cursor, PageSize, cancellationToken);
            scanned += page.Scanned;
            foreach (var s in page.Old)
            {
                old++;
                if (s.ExpiresAt > nowEpoch) valid++;
                else if (s.ExpiresAt < ttlLimit) pastTtl++;
                if (oldest is null || s.CreatedAt < oldest) oldest = s.CreatedAt;
                if (sample.Count < SampleSize) sample.Add(s);
            }
            cursor = page.Cursor;
        } while (cursor is not null);
        return new SessionScanResult(old, valid, pastTtl, oldest is { } o ? DateTimeOffset.FromUnixTimeSeconds(o) : null, sample, scanned);
    }
}
