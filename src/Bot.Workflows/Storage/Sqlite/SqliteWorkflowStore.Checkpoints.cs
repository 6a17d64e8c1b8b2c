using Bot.Workflows.Audit;

namespace Bot.Workflows.Storage.Sqlite;

/// <summary>The audit chain's signed checkpoints (<see cref="AuditCheckpoint"/>), one row each in <c>audit_checkpoints</c>.</summary>
#pragma warning disable CA1001 // see _writer (SqliteWorkflowStore.Commit.cs)
public sealed partial class SqliteWorkflowStore
#pragma warning restore CA1001
{
    public async Task<AuditCheckpoint?> LatestAuditCheckpointAsync(CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT seq, hash, at, key_source, wrapped_key, mac FROM audit_checkpoints ORDER BY seq DESC LIMIT 1;");
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken)
            ? new AuditCheckpoint(r.GetInt64(0), r.GetString(1), FromTicks(r.GetInt64(2)), r.GetString(3), r.GetString(4), r.GetString(5))
            : null;
    }

    public async Task SaveAuditCheckpointAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await Exec(c, null, "INSERT INTO audit_checkpoints(seq, hash, at, key_source, wrapped_key, mac) VALUES ($s, $h, $at, $k, $w, $m) ON CONFLICT(seq) DO NOTHING;",
            cancellationToken, ("$s", checkpoint.Sequence), ("$h", checkpoint.Hash), ("$at", checkpoint.At.UtcTicks), ("$k", checkpoint.KeySource),
            ("$w", checkpoint.WrappedKey), ("$m", checkpoint.Mac));
    }
}
