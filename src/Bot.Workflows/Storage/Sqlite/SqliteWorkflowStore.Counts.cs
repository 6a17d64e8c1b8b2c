using Microsoft.Data.Sqlite;

namespace Bot.Workflows.Storage.Sqlite;

/// <summary>Workflows counted by state (<see cref="SqliteSchema.CountsTable"/>): kept by triggers, counted once when the table is made.</summary>
public sealed partial class SqliteWorkflowStore
{
    public async Task<IReadOnlyDictionary<string, long>> CountByStateAsync(string aggregateType, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT state, count FROM aggregate_counts WHERE type = $t AND count <> 0;", ("$t", aggregateType));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await r.ReadAsync(cancellationToken)) counts[r.GetString(0)] = r.GetInt64(1);
        return counts;
    }

    /// <summary>Counts anew in one transaction: the triggers keep the counters exact, so this only repairs a file edited by hand.</summary>
    public async Task<bool> RecountAsync(string aggregateType, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var tx = c.BeginTransaction(deferred: false);
        await Exec(c, tx, SqliteSchema.Recount, cancellationToken, ("$t", aggregateType));
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Makes the counters and their triggers; a file made by an older version has its workflows counted once, here.</summary>
    private static async Task CreateCountsAsync(SqliteConnection c, SqliteTransaction tx, CancellationToken ct)
    {
        bool existed;
        await using (var cmd = Command(c, tx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $n;", ("$n", SqliteSchema.CountsTable)))
        {
            existed = (long)(await cmd.ExecuteScalarAsync(ct))! == 1;
        }
        await Exec(c, tx, SqliteSchema.CreateCounts, ct);
        if (!existed) await Exec(c, tx, "INSERT INTO aggregate_counts(type, state, count) SELECT type, state, COUNT(*) FROM aggregates GROUP BY type, state;", ct);
    }
}
