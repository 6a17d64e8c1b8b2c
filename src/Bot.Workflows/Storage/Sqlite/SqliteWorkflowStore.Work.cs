using Microsoft.Data.Sqlite;

namespace Bot.Workflows.Storage.Sqlite;

/// <summary>The durable work queue (table <c>work</c>): pending items, leases, and completed tombstones that dedupe ids.</summary>
public sealed partial class SqliteWorkflowStore
{
    private const string WorkColumns = "id, queue, payload, aggregate_type, aggregate_id, created_at, due_at, attempts, last_error, lease_owner, lease_until, lease_token, dead_at";

    /// <summary>Forgets the tombstones past their retention (through the index <c>work_forget</c>: the table holds a week of them).</summary>
    internal const string SweepTombstones = "DELETE FROM work WHERE completed_at IS NOT NULL AND forget_after <= $now;";

    /// <summary>In the grouped transaction of <see cref="CommitAsync"/> (a burst of webhooks is one transaction and one sync).</summary>
    public async Task<bool> EnqueueWorkAsync(WorkItem item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return (bool)await WriteGroupedAsync(async (c, tx) =>
        {
            // Tombstones past their time are forgotten first, so an id may come back after its retention.
            await Exec(c, tx, SweepTombstones, CancellationToken.None, ("$now", _time.GetUtcNow().UtcTicks));
            return await InsertWork(c, tx, item, CancellationToken.None);
        });
    }

    private static async Task<bool> InsertWork(SqliteConnection c, SqliteTransaction tx, WorkItem item, CancellationToken ct) =>
        await Exec(c, tx,
            """
            INSERT INTO work(id, queue, payload, aggregate_type, aggregate_id, created_at, due_at, attempts)
            VALUES ($id, $q, $p, $at, $ai, $created, $due, 0) ON CONFLICT(id) DO NOTHING;
            """, ct, ("$id", item.Id), ("$q", item.Queue), ("$p", item.PayloadJson), ("$at", item.AggregateType), ("$ai", item.AggregateId),
            ("$created", item.CreatedAt.UtcTicks), ("$due", item.DueAt.UtcTicks)) == 1;

    /// <summary>
    /// Marks the item completed; with a <see cref="WorkCompletion.Lease"/>, only while that claim holds it (else
    /// <see cref="LeaseLostException"/>: nothing is written, and inside a unit of work its savepoint is rolled back).
    /// </summary>
    private async Task MarkWorkCompleted(SqliteConnection c, SqliteTransaction? tx, WorkCompletion done, CancellationToken ct)
    {
        if (done.Lease is { } lease)
        {
            await using var check = Command(c, tx, "SELECT completed_at, lease_owner, lease_token FROM work WHERE id = $id;", ("$id", done.Id));
            await using var r = await check.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct) && (!r.IsDBNull(0) || NullableString(r, 1) != lease.Owner || NullableString(r, 2) != lease.Token))
                throw new LeaseLostException($"Work item {done.Id} is no longer held by this claim ({lease.Owner}); its result was not recorded.");
        }
        await MarkWorkCompletedUnfenced(c, tx, done, ct);
    }

    private Task<int> MarkWorkCompletedUnfenced(SqliteConnection c, SqliteTransaction? tx, WorkCompletion done, CancellationToken ct) =>
        Exec(c, tx,
            """
            UPDATE work SET completed_at = COALESCE(completed_at, $now), outcome = COALESCE(outcome, $o), forget_after = $forget,
                lease_owner = NULL, lease_until = NULL, lease_token = NULL
            WHERE id = $id;
            """, ct, ("$id", done.Id), ("$o", done.Outcome), ("$forget", done.ForgetAfter.UtcTicks), ("$now", _time.GetUtcNow().UtcTicks));

    public async Task<IReadOnlyList<WorkItem>> ClaimWorkAsync(string queue, DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var tx = c.BeginTransaction(deferred: false);
        var claimed = new List<WorkItem>();
        await using (var cmd = Command(c, tx,
            $"""
            SELECT {WorkColumns} FROM work
            WHERE queue = $q AND completed_at IS NULL AND dead_at IS NULL AND due_at <= $now AND (lease_until IS NULL OR lease_until <= $now)
            ORDER BY due_at, created_at LIMIT $max;
            """, ("$q", queue), ("$now", now.UtcTicks), ("$max", max)))
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                var item = ReadWork(r);
                claimed.Add(item with { Attempts = item.Attempts + 1, LeaseOwner = owner, LeaseUntil = now + lease, LeaseToken = LeaseHold.NewToken() });
            }
        }
        foreach (var item in claimed)
        {
            await Exec(c, tx, "UPDATE work SET lease_owner = $o, lease_until = $u, lease_token = $lt, attempts = attempts + 1 WHERE id = $id;", cancellationToken,
                ("$o", owner), ("$u", (now + lease).UtcTicks), ("$lt", item.LeaseToken), ("$id", item.Id));
        }
        await tx.CommitAsync(cancellationToken);
        return claimed;
    }

    public async Task<bool> RenewWorkLeaseAsync(WorkItem item, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        return await Exec(c, null, $"UPDATE work SET lease_until = $u WHERE id = $id AND completed_at IS NULL AND {HeldBy};", cancellationToken,
            ("$u", until.UtcTicks), ("$id", item.Id), ("$o", item.LeaseOwner), ("$lt", item.LeaseToken)) == 1;
    }

    public async Task DeferWorkAsync(WorkItem item, DateTimeOffset dueAt, string error, CancellationToken cancellationToken, bool countsAsAttempt = true)
    {
        await using var c = await OpenAsync(cancellationToken);
        await Exec(c, null,
            $"""
            UPDATE work SET lease_owner = NULL, lease_until = NULL, lease_token = NULL, due_at = $due, last_error = $e,
                attempts = CASE WHEN $counts THEN attempts ELSE MAX(attempts - 1, 0) END
            WHERE id = $id AND completed_at IS NULL AND {HeldBy};
            """,
            cancellationToken, ("$due", dueAt.UtcTicks), ("$e", error), ("$id", item.Id), ("$o", item.LeaseOwner), ("$lt", item.LeaseToken), ("$counts", countsAsAttempt));
    }

    public async Task DeadLetterWorkAsync(WorkItem item, string error, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await Exec(c, null,
            $"""
            UPDATE work SET lease_owner = NULL, lease_until = NULL, lease_token = NULL, dead_at = $now, last_error = $e
            WHERE id = $id AND completed_at IS NULL AND {HeldBy};
            """,
            cancellationToken, ("$now", _time.GetUtcNow().UtcTicks), ("$e", error), ("$id", item.Id), ("$o", item.LeaseOwner), ("$lt", item.LeaseToken));
    }

    public async Task<IReadOnlyList<WorkItem>> ListDeadWorkAsync(int max, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null,
            $"SELECT {WorkColumns} FROM work WHERE dead_at IS NOT NULL AND completed_at IS NULL ORDER BY dead_at, id LIMIT $max;", ("$max", max));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<WorkItem>();
        while (await r.ReadAsync(cancellationToken)) list.Add(ReadWork(r));
        return list;
    }

    public async Task<bool> ReplayDeadWorkAsync(string id, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        return await Exec(c, null,
            """
            UPDATE work SET dead_at = NULL, attempts = 0, due_at = $now, last_error = 'replayed after: ' || COALESCE(last_error, '')
            WHERE id = $id AND dead_at IS NOT NULL AND completed_at IS NULL;
            """, cancellationToken, ("$now", _time.GetUtcNow().UtcTicks), ("$id", id)) == 1;
    }

    public async Task CompleteWorkAsync(WorkCompletion completion, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var tx = c.BeginTransaction(deferred: false);
        await MarkWorkCompleted(c, tx, completion, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<DateTimeOffset?> NextWorkDueAsync(string queue, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        // A leased item can be claimed again only when its lease is over: that, not its due time, is when it is next due here.
        await using var cmd = Command(c, null,
            "SELECT MIN(MAX(due_at, COALESCE(lease_until, 0))) FROM work WHERE queue = $q AND completed_at IS NULL AND dead_at IS NULL;", ("$q", queue));
        var value = await cmd.ExecuteScalarAsync(cancellationToken);
        return value is long ticks ? FromTicks(ticks) : null;
    }

    public async Task<IReadOnlyList<WorkItem>> ListPendingWorkAsync(string queue, int max, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null,
            $"SELECT {WorkColumns} FROM work WHERE queue = $q AND completed_at IS NULL AND dead_at IS NULL ORDER BY due_at, created_at LIMIT $max;", ("$q", queue), ("$max", max));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<WorkItem>();
        while (await r.ReadAsync(cancellationToken)) list.Add(ReadWork(r));
        return list;
    }

    private static WorkItem ReadWork(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Queue = r.GetString(1),
        PayloadJson = r.GetString(2),
        AggregateType = NullableString(r, 3),
        AggregateId = NullableString(r, 4),
        CreatedAt = FromTicks(r.GetInt64(5)),
        DueAt = FromTicks(r.GetInt64(6)),
        Attempts = r.GetInt32(7),
        LastError = NullableString(r, 8),
        LeaseOwner = NullableString(r, 9),
        LeaseUntil = r.IsDBNull(10) ? null : FromTicks(r.GetInt64(10)),
        LeaseToken = NullableString(r, 11),
        DeadAt = r.IsDBNull(12) ? null : FromTicks(r.GetInt64(12)),
    };
}
