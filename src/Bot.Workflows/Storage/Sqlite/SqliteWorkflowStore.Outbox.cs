using Microsoft.Data.Sqlite;

namespace Bot.Workflows.Storage.Sqlite;

/// <summary>
/// The outbox: claiming the heads of each channel's two lanes (posts, edits of cards) under a lease, renewing it, and completing,
/// deferring or giving up each message under its claim; delivery records; each lane's pacing.
/// </summary>
public sealed partial class SqliteWorkflowStore
{
    public async Task<IReadOnlyList<OutboxMessage>> ClaimOutboxAsync(DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var tx = c.BeginTransaction(deferred: false);
        var heads = new List<OutboxMessage>();
        // The heads of each channel's two lanes: its first post (new messages and thread lines) and its first edit of a card,
        // each the lowest sequence of its lane still queued — an urgent post (a storm's digest) before the other posts. An edit
        // whose card's first post is still queued waits for it. A head is handed out when no live sender holds it and its lane's
        // pacing allows it now (a post paces the posts; an edit goes ahead of the posts queued before it, so the card people look
        // at never waits behind a thread's diagnostics).
        await using (var cmd = Command(c, tx,
            """
            SELECT o.seq, o.message_id, o.message_key, o.channel, o.text, o.blocks, o.thread_key, o.update_key, o.created_at, o.attempts
            FROM outbox o
            JOIN (SELECT COALESCE(MIN(CASE WHEN urgent = 1 THEN seq END), MIN(seq)) AS head FROM outbox WHERE failed = 0 GROUP BY channel, update_key IS NULL) h ON h.head = o.seq
            LEFT JOIN channels ch ON ch.channel = o.channel
            WHERE (o.lease_until IS NULL OR o.lease_until <= $now)
              AND (CASE WHEN o.update_key IS NULL THEN ch.not_before ELSE ch.edits_not_before END IS NULL
                   OR CASE WHEN o.update_key IS NULL THEN ch.not_before ELSE ch.edits_not_before END <= $now)
              AND (o.update_key IS NULL OR NOT EXISTS (
                   SELECT 1 FROM outbox p WHERE p.failed = 0 AND p.update_key IS NULL AND p.message_key = o.update_key))
            ORDER BY o.seq LIMIT $max;
            """, ("$now", now.UtcTicks), ("$max", max)))
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                var stored = ReadOutboxMessage(r);
                heads.Add(stored with { Attempts = stored.Attempts + 1, LeaseOwner = owner, LeaseUntil = now + lease, LeaseToken = LeaseHold.NewToken() });
            }
        }
        foreach (var m in heads)
        {
            await Exec(c, tx, "UPDATE outbox SET lease_owner = $o, lease_until = $u, lease_token = $lt, attempts = attempts + 1 WHERE seq = $seq;", cancellationToken,
                ("$o", owner), ("$u", (now + lease).UtcTicks), ("$lt", m.LeaseToken), ("$seq", m.Sequence));
        }
        await tx.CommitAsync(cancellationToken);
        return heads;
    }

    public async Task<bool> RenewOutboxLeaseAsync(OutboxMessage message, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        return await Exec(c, null, $"UPDATE outbox SET lease_until = $u WHERE message_id = $id AND failed = 0 AND {HeldBy};", cancellationToken,
            ("$u", until.UtcTicks), ("$id", message.Id), ("$o", message.LeaseOwner), ("$lt", message.LeaseToken)) == 1;
    }

    /// <summary>An outbox row as read by <c>SELECT seq, message_id, message_key, channel, text, blocks, thread_key, update_key, created_at, attempts</c> (first ten columns).</summary>
    private static OutboxMessage ReadOutboxMessage(SqliteDataReader r) => new()
    {
        Sequence = r.GetInt64(0),
        Id = r.GetString(1),
        Key = r.GetString(2),
        Channel = r.GetString(3),
        Text = r.GetString(4),
        ContentJson = NullableString(r, 5),
        ThreadUnderKey = NullableString(r, 6),
        UpdateKey = NullableString(r, 7),
        CreatedAt = FromTicks(r.GetInt64(8)),
        Attempts = r.GetInt32(9),
    };

    public async Task<SentMessage?> FindSentAsync(string key, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT message_id, channel, ts, sent_at FROM sent_messages WHERE message_key = $k;", ("$k", key));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var sent = await r.ReadAsync(cancellationToken) ? new SentMessage(key, r.GetString(0), r.GetString(1), r.GetString(2), FromTicks(r.GetInt64(3))) : null;
        return sent is null || sent.ExpiredAt(_time.GetUtcNow()) ? null : sent;
    }

    public async Task CompleteOutboxAsync(OutboxMessage message, SentMessage sent, DateTimeOffset channelNextAt, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var tx = c.BeginTransaction(deferred: false);
        await Exec(c, tx,
            """
            INSERT INTO sent_messages(message_key, message_id, channel, ts, sent_at) VALUES ($k, $id, $ch, $ts, $at)
            ON CONFLICT(message_key) DO UPDATE SET message_id = excluded.message_id, channel = excluded.channel, ts = excluded.ts, sent_at = excluded.sent_at;
            """, cancellationToken, ("$k", sent.Key), ("$id", sent.MessageId), ("$ch", sent.Channel), ("$ts", sent.Ts), ("$at", sent.SentAt.UtcTicks));
        // Only its lease holder removes it: a sender whose lease ran out and was taken over leaves the message to the
        // new holder, which finds the delivery record above and finishes it without posting again.
        await Exec(c, tx, $"DELETE FROM outbox WHERE message_id = $id AND {HeldBy};", cancellationToken,
            ("$id", message.Id), ("$o", message.LeaseOwner), ("$lt", message.LeaseToken));
        await DropOutdatedDeadLetters(c, tx, message, cancellationToken);
        await PaceChannel(c, tx, message, channelNextAt, cancellationToken);
        // Delivery records past their retention go, as DynamoDB's TTL removes them there.
        await Exec(c, tx, "DELETE FROM sent_messages WHERE sent_at <= $expired;", cancellationToken, ("$expired", (sent.SentAt - SentMessage.Retention).UtcTicks));
        await tx.CommitAsync(cancellationToken);
    }

    public async Task DeferOutboxAsync(OutboxMessage message, DateTimeOffset channelNextAt, string error, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var tx = c.BeginTransaction(deferred: false);
        await Exec(c, tx, $"UPDATE outbox SET lease_owner = NULL, lease_until = NULL, lease_token = NULL, last_error = $e WHERE message_id = $id AND {HeldBy};",
            cancellationToken, ("$e", error), ("$id", message.Id), ("$o", message.LeaseOwner), ("$lt", message.LeaseToken));
        await PaceChannel(c, tx, message, channelNextAt, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<bool> IsGivenUpAsync(string key, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT 1 FROM outbox WHERE failed = 1 AND update_key IS NULL AND message_key = $k LIMIT 1;", ("$k", key));
        return await cmd.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task FailOutboxAsync(OutboxMessage message, string error, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await Exec(c, null,
            $"UPDATE outbox SET failed = 1, failed_at = $now, lease_owner = NULL, lease_until = NULL, lease_token = NULL, last_error = $e WHERE message_id = $id AND {HeldBy};",
            cancellationToken, ("$e", error), ("$id", message.Id), ("$o", message.LeaseOwner), ("$lt", message.LeaseToken), ("$now", _time.GetUtcNow().UtcTicks));
    }

    public async Task<int> CountPendingOutboxAsync(CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT COUNT(*) FROM outbox WHERE failed = 0;");
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<DateTimeOffset?> OldestPendingOutboxAsync(CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT MIN(created_at) FROM outbox WHERE failed = 0;");
        return await cmd.ExecuteScalarAsync(cancellationToken) is long ticks ? FromTicks(ticks) : null;
    }

    /// <summary>Paces the lane of <paramref name="message"/>'s channel it travels in (posts, or edits) until <paramref name="notBefore"/>.</summary>
    private static Task PaceChannel(SqliteConnection c, SqliteTransaction tx, OutboxMessage message, DateTimeOffset notBefore, CancellationToken ct) =>
        message.UpdateKey is null
            ? Exec(c, tx,
                "INSERT INTO channels(channel, not_before) VALUES ($ch, $nb) ON CONFLICT(channel) DO UPDATE SET not_before = MAX(channels.not_before, excluded.not_before);",
                ct, ("$ch", message.Channel), ("$nb", notBefore.UtcTicks))
            : Exec(c, tx,
                """
                INSERT INTO channels(channel, not_before, edits_not_before) VALUES ($ch, 0, $nb)
                ON CONFLICT(channel) DO UPDATE SET edits_not_before = MAX(COALESCE(channels.edits_not_before, 0), excluded.edits_not_before);
                """, ct, ("$ch", message.Channel), ("$nb", notBefore.UtcTicks));
}
