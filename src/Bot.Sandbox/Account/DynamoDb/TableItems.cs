using System.Collections.Concurrent;

namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>
/// Where a table's items come from. Only the activity feeds hold items (see <see cref="ActivityFeedGenerator"/>); the
/// other tables have none to read (DescribeTable still reports their modeled counts). A feed's snapshot holds the rows up
/// to the start of the current minute and is made again when the minute changes, so memory stays at one window per table.
/// </summary>
public sealed class TableItems(SandboxAccount account)
{
    private readonly ConcurrentDictionary<string, (long Minute, ItemSnapshot Snapshot)> _snapshots = new(StringComparer.Ordinal);

    /// <summary>The table's items now, or null when the sandbox keeps none for it.</summary>
    public ItemSnapshot? For(DynamoTable table)
    {
        if (table.Profile.Suffix != SecureBaseCatalog.ActivityFeed) return null;
        var now = account.Time.GetUtcNow();
        var minute = now.ToUnixTimeSeconds() / 60;
        if (_snapshots.TryGetValue(table.Name, out var cached) && cached.Minute == minute)
            return cached.Snapshot;
        var snapshot = new ItemSnapshot(TableIndexes.KeysOf(table), TableIndexes.Of(table),
            ActivityFeedGenerator.Rows(account.Options.Seed, table.Environment, account.Created, DateTimeOffset.FromUnixTimeSeconds(minute * 60)));
        _snapshots[table.Name] = (minute, snapshot);
        return snapshot;
    }
}
