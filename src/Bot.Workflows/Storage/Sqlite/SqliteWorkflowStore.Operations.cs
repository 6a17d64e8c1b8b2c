using System.Globalization;

namespace Bot.Workflows.Storage.Sqlite;

/// <summary>What status, metrics and shutdown need: due timers, dead letters, instance heartbeats, giving a timer back.</summary>
public sealed partial class SqliteWorkflowStore
{
    public async Task ReleaseTimerAsync(TimerRecord timer, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await Exec(c, null, $"UPDATE timers SET lease_owner = NULL, lease_until = NULL, lease_token = NULL, attempts = MAX(attempts - 1, 0) WHERE id = $id AND token = $token AND {HeldBy};",
            cancellationToken, ("$id", timer.Id), ("$token", timer.Token), ("$o", timer.LeaseOwner), ("$lt", timer.LeaseToken));
    }

    public async Task<DueTimers> CountDueTimersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT COUNT(*), MIN(due_at) FROM timers WHERE due_at <= $now;", ("$now", now.UtcTicks));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        await r.ReadAsync(cancellationToken);
        return new DueTimers(r.GetInt32(0), r.IsDBNull(1) ? null : FromTicks(r.GetInt64(1)));
    }

    public async Task RecordInstanceAsync(InstanceRecord instance, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await Exec(c, null,
            """
            INSERT INTO instances(id, host, version, started_at, seen_at) VALUES ($id, $h, $v, $s, $at)
            ON CONFLICT(id) DO UPDATE SET host = excluded.host, version = excluded.version, started_at = excluded.started_at, seen_at = excluded.seen_at;
            """, cancellationToken, ("$id", instance.Id), ("$h", instance.Host), ("$v", instance.Version), ("$s", instance.StartedAt.UtcTicks), ("$at", instance.SeenAt.UtcTicks));
        // Instances gone for a week are forgotten.
        await Exec(c, null, "DELETE FROM instances WHERE seen_at < $old;", cancellationToken, ("$old", (instance.SeenAt - InstanceRetention).UtcTicks));
    }

    public async Task<IReadOnlyList<InstanceRecord>> ListInstancesAsync(DateTimeOffset seenSince, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT id, host, version, started_at, seen_at FROM instances WHERE seen_at >= $since ORDER BY seen_at DESC, id;",
            ("$since", seenSince.UtcTicks));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<InstanceRecord>();
        while (await r.ReadAsync(cancellationToken))
            list.Add(new InstanceRecord(r.GetString(0), r.GetString(1), r.GetString(2), FromTicks(r.GetInt64(3)), FromTicks(r.GetInt64(4))));
        return list;
    }

    /// <summary>How long an instance's last heartbeat is kept.</summary>
    public static readonly TimeSpan InstanceRetention = TimeSpan.FromDays(7);
}
