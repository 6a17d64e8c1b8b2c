using System.Text.Json;
using Bot.Workflows.Activities;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Recovery.Activities;

/// <summary>What one batch did: deleted, kept because the condition no longer held, items read, and where the next batch starts (null: the scan is over).</summary>
public sealed record CleanupBatch(int Deleted, int Skipped, int Scanned, string? Cursor);

/// <summary>
/// One batch of a session clean-up: reads <see cref="Limit"/> items from <see cref="Cursor"/> and deletes those created
/// before <see cref="Cutoff"/>, each with a condition that it still is (a session renewed meanwhile, or any newer one,
/// is never deleted), <see cref="Parallel"/> at a time. Running it twice from the same cursor (a restart after a crash)
/// deletes nothing twice: a session already gone fails its condition and counts as skipped.
/// </summary>
public sealed record DeleteOldSessions(string JobId, int Batch, string Table, long Cutoff, string? Cursor, int Limit) : Activity
{
    public const int Parallel = 25;

    public override string Describe() => $"clean-up batch {Batch} of {Table}: up to {Limit} items read, sessions before {DateTimeOffset.FromUnixTimeSeconds(Cutoff):u} deleted";
}

public sealed class DeleteOldSessionsHandler(ISessionItems sessions) : ActivityHandler<DeleteOldSessions>
{
    protected override Task<LiveCheck> CheckAsync(DeleteOldSessions a, CancellationToken cancellationToken) => Task.FromResult(LiveCheck.Go);

    protected override async Task<ActivityResult> RunAsync(DeleteOldSessions a, CancellationToken cancellationToken)
    {
        var page = await sessions.ScanOlderThanAsync(a.Table, a.Cutoff, a.Cursor, a.Limit, cancellationToken);
        var deleted = 0;
        var skipped = 0;
        foreach (var chunk in page.Old.Chunk(DeleteOldSessions.Parallel))
        {
            var results = await Task.WhenAll(chunk.Select(k => sessions.DeleteIfOlderAsync(a.Table, k, a.Cutoff, cancellationToken)));
            deleted += results.Count(r => r);
            skipped += results.Count(r => !r);
        }
        var batch = new CleanupBatch(deleted, skipped, page.Scanned, page.Cursor);
        return new ActivityResult($"batch {a.Batch}: {deleted} deleted, {skipped} kept, {page.Scanned} read", JsonSerializer.Serialize(batch, RecoveryJson.Options));
    }
}
