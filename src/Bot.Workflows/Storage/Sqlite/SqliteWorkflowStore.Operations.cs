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

    public async Task DeferTimerAsync(TimerRecord timer, DateTimeOffset retryAt, string error, CancellationToken cancellationToken, bool countsAsAttempt = true)
    {
        await using var c = await OpenAsync(cancellationToken);
        // Released, and held by nobody until retryAt: a claim takes a timer only once its lease time has passed.
        await Exec(c, null,
            $"""
            UPDATE timers SET lease_owner = NULL, lease_token = NULL, lease_until = $retry, last_error = $e,
                attempts = CASE WHEN $counts THEN attempts ELSE MAX(attempts - 1, 0) END
            WHERE id = $id AND token = $token AND {HeldBy};
            """,
            cancellationToken, ("$retry", retryAt.UtcTicks), ("$e", error), ("$id", timer.Id), ("$token", timer.Token), ("$o", timer.LeaseOwner), ("$lt", timer.LeaseToken),
            ("$counts", countsAsAttempt));
    }

    public async Task DeadLetterTimerAsync(TimerRecord timer, string error, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await Exec(c, null,
            $"UPDATE timers SET lease_owner = NULL, lease_token = NULL, lease_until = NULL, last_error = $e, dead_at = $now WHERE id = $id AND token = $token AND {HeldBy};",
            cancellationToken, ("$e", error), ("$now", _time.GetUtcNow().UtcTicks), ("$id", timer.Id), ("$token", timer.Token), ("$o", timer.LeaseOwner),
            ("$lt", timer.LeaseToken));
    }

    public async Task<IReadOnlyList<TimerRecord>> ListDeadTimersAsync(int max, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null,
            "SELECT id, aggregate_type, aggregate_id, trigger, expectation, due_at, token, attempts, last_error, dead_at FROM timers WHERE dead_at IS NOT NULL ORDER BY dead_at, id LIMIT $max;",
            ("$max", max));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<TimerRecord>();
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(new TimerRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), NullableString(r, 4), FromTicks(r.GetInt64(5)), r.GetString(6))
            {
                Attempts = r.GetInt32(7), LastError = NullableString(r, 8), DeadAt = FromTicks(r.GetInt64(9)),
            });
        }
        return list;
    }

    public async Task<bool> ReplayDeadTimerAsync(string id, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        return await Exec(c, null,
            "UPDATE timers SET dead_at = NULL, attempts = 0, lease_until = NULL, last_error = 'replayed after: ' || COALESCE(last_error, '') WHERE id = $id AND dead_at IS NOT NULL;",
            cancellationToken, ("$id", id)) == 1;
    }

    /// <summary>The work items given up, by queue (through the index <c>work_dead</c>).</summary>
    internal const string CountDeadWork = "SELECT queue, COUNT(*) FROM work WHERE dead_at IS NOT NULL AND completed_at IS NULL GROUP BY queue;";

    public async Task<DeadLetterCounts> CountAllDeadLettersAsync(CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        var work = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var cmd = Command(c, null, CountDeadWork))
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken)) work[r.GetString(0)] = r.GetInt32(1);
        }
        await using var counts = Command(c, null, "SELECT (SELECT COUNT(*) FROM outbox WHERE failed = 1), (SELECT COUNT(*) FROM timers WHERE dead_at IS NOT NULL);");
        await using var row = await counts.ExecuteReaderAsync(cancellationToken);
        await row.ReadAsync(cancellationToken);
        return new DeadLetterCounts(row.GetInt32(0), work, row.GetInt32(1));
    }

    public async Task<DueTimers> CountDueTimersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT COUNT(*), MIN(due_at) FROM timers WHERE due_at <= $now AND dead_at IS NULL;", ("$now", now.UtcTicks));
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
