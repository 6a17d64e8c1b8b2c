using Bot.Workflows.Audit;
using Microsoft.Data.Sqlite;

namespace Bot.Workflows.Storage.Sqlite;

/// <summary>
/// Commits, grouped: units of work that arrive while another commit holds the writer (many Slack commands at once, a
/// burst of webhooks) are written together in the next transaction, each inside its own savepoint, so one unit's failed
/// check (a version conflict, a key claimed before) rolls back that unit alone. SQLite writes one transaction at a time
/// anyway; grouping makes it one lock, one WAL append and one sync for the batch instead of one per unit.
/// </summary>
#pragma warning disable CA1001 // see _writer
public sealed partial class SqliteWorkflowStore
#pragma warning restore CA1001
{
    /// <summary>At most this many units share one transaction.</summary>
    public const int MaxCommitBatch = 64;

    /// <summary>A write waiting for the next grouped transaction: a unit of work, or a work item to enqueue.</summary>
    private sealed class PendingCommit(Func<SqliteConnection, SqliteTransaction, Task<object>> apply)
    {
        public Func<SqliteConnection, SqliteTransaction, Task<object>> Apply { get; } = apply;
        public TaskCompletionSource<object> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingCommit> _commits = new();
    // A SemaphoreSlim whose wait handle is never asked for holds nothing to dispose; the store lives as long as the host.
#pragma warning disable CA2213
    private readonly SemaphoreSlim _writer = new(1, 1);
#pragma warning restore CA2213

    public async Task<AuditRecord> CommitAsync(UnitOfWork work, CancellationToken cancellationToken) =>
        (AuditRecord)await WriteGroupedAsync(async (c, tx) => await ApplyAsync(c, tx, work, CancellationToken.None));

    /// <summary>
    /// Queues <paramref name="apply"/> for the next grouped transaction and waits for its result. Writers of this process
    /// meet here, in order, instead of in SQLite's busy handler, which polls with growing sleeps (a burst of webhooks each
    /// in a transaction of its own waited up to 300 ms for the lock, and paid a sync each).
    /// </summary>
    private async Task<object> WriteGroupedAsync(Func<SqliteConnection, SqliteTransaction, Task<object>> apply)
    {
        var pending = new PendingCommit(apply);
        _commits.Enqueue(pending);
        while (!pending.Done.Task.IsCompleted)
        {
            // Whoever holds the writer commits everything queued, this write included if it was queued in time. Not
            // cancellable: a queued write may be committed by another caller's round, so its own caller waits to know.
            await _writer.WaitAsync(CancellationToken.None);
            try
            {
                if (!pending.Done.Task.IsCompleted) await CommitQueuedAsync();
            }
            finally
            {
                _writer.Release();
            }
        }
        return await pending.Done.Task;
    }

    /// <summary>Commits the writes queued now (up to <see cref="MaxCommitBatch"/>) in one transaction.</summary>
    private async Task CommitQueuedAsync()
    {
        var batch = new List<PendingCommit>();
        while (batch.Count < MaxCommitBatch && _commits.TryDequeue(out var next)) batch.Add(next);
        if (batch.Count == 0) return;
        var results = new List<(PendingCommit Pending, object? Result, Exception? Error)>();
        try
        {
            await using var c = await OpenAsync(CancellationToken.None);
            await using var tx = c.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: take the write lock before reading
            for (var i = 0; i < batch.Count; i++)
            {
                var savepoint = $"u{i}";
                tx.Save(savepoint);
                try
                {
                    results.Add((batch[i], await batch[i].Apply(c, tx), null));
                    tx.Release(savepoint);
                }
                catch (Exception e) when (e is ConcurrencyConflictException or AlreadyClaimedException or StoreLimitExceededException or LeaseLostException
                    or SqliteException { SqliteErrorCode: 19 })
                {
                    // A failed check (19: a constraint) belongs to this write: undo it, keep the others'.
                    tx.Rollback(savepoint);
                    tx.Release(savepoint);
                    results.Add((batch[i], null, e));
                }
            }
            await tx.CommitAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // The transaction itself failed (the database busy for too long, the disk): nothing of the batch was written.
            foreach (var p in batch) p.Done.TrySetException(e);
            return;
        }
        foreach (var (p, result, error) in results)
        {
            if (error is null) p.Done.TrySetResult(result!);
            else p.Done.TrySetException(error);
        }
    }

    /// <summary>One unit of work's writes inside the batch's transaction; throws (and the caller rolls back to the unit's savepoint) when a check fails.</summary>
    private async Task<AuditRecord> ApplyAsync(SqliteConnection c, SqliteTransaction tx, UnitOfWork work, CancellationToken cancellationToken)
    {
        if (work.Claim is { } claim) await ClaimInUnitAsync(c, tx, claim, cancellationToken);
        if (work.FiredTimer is { Lease: { } timerLease } firedTimer) await CheckTimerHeldAsync(c, tx, firedTimer, timerLease, cancellationToken);

        if (work.Aggregate is { } a)
        {
            if (work.ExpectedVersion == 0)
            {
                var inserted = await Exec(c, tx,
                    "INSERT INTO aggregates(type, id, state, data, version, updated_at) VALUES ($t, $i, $s, $d, $v, $u) ON CONFLICT DO NOTHING;",
                    cancellationToken, ("$t", a.AggregateType), ("$i", a.AggregateId), ("$s", a.State), ("$d", a.Data), ("$v", a.Version), ("$u", a.UpdatedAt.UtcTicks));
                if (inserted == 0) throw new ConcurrencyConflictException($"{a.AggregateType}/{a.AggregateId} already exists.");
            }
            else
            {
                var updated = await Exec(c, tx,
                    "UPDATE aggregates SET state = $s, data = $d, version = $v, updated_at = $u WHERE type = $t AND id = $i AND version = $expected;",
                    cancellationToken, ("$t", a.AggregateType), ("$i", a.AggregateId), ("$s", a.State), ("$d", a.Data), ("$v", a.Version),
                    ("$u", a.UpdatedAt.UtcTicks), ("$expected", work.ExpectedVersion));
                if (updated == 0) throw new ConcurrencyConflictException($"{a.AggregateType}/{a.AggregateId} is no longer at version {work.ExpectedVersion}.");
            }
        }

        var (lastSeq, lastHash) = await ChainHead(c, tx, cancellationToken);
        var audit = AuditChain.Seal(work.Audit, lastSeq + 1, lastHash);
        await Exec(c, tx,
            """
            INSERT INTO audit(seq, at, actor_id, actor_name, action, aggregate_type, aggregate_id, before_state, after_state, request_id, details, prev_hash, hash)
            VALUES ($seq, $at, $aid, $aname, $action, $type, $id, $before, $after, $req, $details, $prev, $hash);
            """, cancellationToken,
            ("$seq", audit.Sequence), ("$at", audit.At.UtcTicks), ("$aid", audit.ActorId), ("$aname", audit.ActorName), ("$action", audit.Action),
            ("$type", audit.AggregateType), ("$id", audit.AggregateId), ("$before", audit.Before), ("$after", audit.After),
            ("$req", audit.RequestId), ("$details", audit.DetailsJson), ("$prev", audit.PreviousHash), ("$hash", audit.Hash));

        foreach (var m in work.Messages)
        {
            await Exec(c, tx,
                """
                INSERT INTO outbox(message_id, message_key, channel, text, blocks, thread_key, update_key, created_at, attempts, urgent)
                VALUES ($id, $key, $ch, $text, $blocks, $thread, $update, $created, 0, $urgent);
                """, cancellationToken,
                ("$id", m.Id), ("$key", m.Key), ("$ch", m.Channel), ("$text", m.Text), ("$blocks", m.ContentJson),
                ("$thread", m.ThreadUnderKey), ("$update", m.UpdateKey), ("$created", m.CreatedAt.UtcTicks), ("$urgent", m.Urgent));
        }

        if (work.FiredTimer is { } fired)
            await Exec(c, tx, "DELETE FROM timers WHERE id = $id AND token = $token;", cancellationToken, ("$id", fired.Id), ("$token", fired.Token));
        foreach (var id in work.TimersToCancel)
            await Exec(c, tx, "DELETE FROM timers WHERE id = $id;", cancellationToken, ("$id", id));
        foreach (var t in work.TimersToSet)
        {
            await Exec(c, tx,
                """
                INSERT INTO timers(id, aggregate_type, aggregate_id, trigger, expectation, due_at, token, lease_owner, lease_until)
                VALUES ($id, $type, $agg, $trigger, $exp, $due, $token, NULL, NULL)
                ON CONFLICT(id) DO UPDATE SET trigger = excluded.trigger, expectation = excluded.expectation, due_at = excluded.due_at,
                    token = excluded.token, lease_owner = NULL, lease_until = NULL, lease_token = NULL, attempts = 0, last_error = NULL, dead_at = NULL;
                """, cancellationToken,
                ("$id", t.Id), ("$type", t.AggregateType), ("$agg", t.AggregateId), ("$trigger", t.Trigger), ("$exp", t.Expectation),
                ("$due", t.DueAt.UtcTicks), ("$token", t.Token));
        }

        foreach (var item in work.WorkToAdd) await InsertWork(c, tx, item, cancellationToken);
        if (work.CompleteWork is { } done) await MarkWorkCompleted(c, tx, done, cancellationToken);

        if (work.Idempotency is { } idem)
        {
            await Exec(c, tx,
                """
                INSERT INTO idempotency(key, claimed_at, expires_at, outcome) VALUES ($k, $now, $exp, $o)
                ON CONFLICT(key) DO UPDATE SET outcome = excluded.outcome, expires_at = MAX(idempotency.expires_at, excluded.expires_at);
                """, cancellationToken, ("$k", idem.Key), ("$now", _time.GetUtcNow().UtcTicks), ("$exp", idem.ExpiresAt.UtcTicks), ("$o", idem.ToJson(audit.Sequence)));
        }

        return audit;
    }

    /// <summary>
    /// The setting of a fired timer must still be stored and held by the claim that fired it (else <see cref="LeaseLostException"/>:
    /// another holder fired it, or it was cancelled or set again since).
    /// </summary>
    private static async Task CheckTimerHeldAsync(SqliteConnection c, SqliteTransaction tx, TimerRecord timer, LeaseHold lease, CancellationToken ct)
    {
        await using var cmd = Command(c, tx, "SELECT lease_owner, lease_token FROM timers WHERE id = $id AND token = $token;", ("$id", timer.Id), ("$token", timer.Token));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct) || NullableString(r, 0) != lease.Owner || NullableString(r, 1) != lease.Token)
            throw new LeaseLostException($"Timer {timer.Id} is no longer held by this claim ({lease.Owner}); it was not fired here.");
    }

    private static async Task<(long Seq, string Hash)> ChainHead(SqliteConnection c, SqliteTransaction tx, CancellationToken ct)
    {
        await using var cmd = Command(c, tx, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1;");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetInt64(0), r.GetString(1)) : (0, AuditChain.Genesis);
    }

    /// <summary>The claim of a unit of work: throws <see cref="AlreadyClaimedException"/> (the transaction is not committed) unless the key is free.</summary>
    private async Task ClaimInUnitAsync(SqliteConnection c, SqliteTransaction tx, ClaimedKey claim, CancellationToken cancellationToken)
    {
        var taken = await TakeKeyAsync(c, tx, claim.Key, claim.Retention, claim.Outcome, _time.GetUtcNow(), cancellationToken);
        if (!taken.IsFirst) throw new AlreadyClaimedException(claim.Key, taken.EarlierOutcome);
    }
}
