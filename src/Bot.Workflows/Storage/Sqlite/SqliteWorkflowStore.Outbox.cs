using Microsoft.Data.Sqlite;

namespace Bot.Workflows.Storage.Sqlite;

/// <summary>The outbox: claiming due messages under a lease, and completing, deferring or failing them; channel pacing.</summary>
public sealed partial class SqliteWorkflowStore
{
    public async Task<IReadOnlyList<OutboxMessage>> ClaimOutboxAsync(DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var tx = c.BeginTransaction(deferred: false);
        var heads = new List<OutboxMessage>();
        // The head of each channel: the lowest sequence still queued. Hand it out only when it is not
        // leased by a live sender and the channel's pacing allows a message now.
        await using (var cmd = Command(c, tx,
            """
            SELECT o.seq, o.message_id, o.message_key, o.channel, o.text, o.blocks, o.thread_key, o.update_key, o.created_at, o.attempts
            FROM outbox o
            JOIN (SELECT channel, MIN(seq) AS head FROM outbox WHERE failed = 0 GROUP BY channel) h ON h.channel = o.channel AND h.head = o.seq
            LEFT JOIN channels ch ON ch.channel = o.channel
            WHERE (o.lease_until IS NULL OR o.lease_until <= $now) AND (ch.not_before IS NULL OR ch.not_before <= $now)
            ORDER BY o.seq LIMIT $max;
            """, ("$now", now.UtcTicks), ("$max", max)))
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                var stored = ReadOutboxMessage(r);
                heads.Add(stored with { Attempts = stored.Attempts + 1, LeaseOwner = owner, LeaseUntil = now + lease });
            }
        }
        foreach (var m in heads)
        {
            await Exec(c, tx, "UPDATE outbox SET lease_owner = $o, lease_until = $u, attempts = attempts + 1 WHERE seq = $seq;", cancellationToken,
                ("$o", owner), ("$u", (now + lease).UtcTicks), ("$seq", m.Sequence));
        }
        await tx.CommitAsync(cancellationToken);
        return heads;
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
        return await r.ReadAsync(cancellationToken) ? new SentMessage(key, r.GetString(0), r.GetString(1), r.GetString(2), FromTicks(r.GetInt64(3))) : null;
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
        await Exec(c, tx, "DELETE FROM outbox WHERE message_id = $id AND lease_owner = $o;", cancellationToken, ("$id", message.Id), ("$o", message.LeaseOwner));
        await DropOutdatedDeadLetters(c, tx, message, cancellationToken);
        await PaceChannel(c, tx, message.Channel, channelNextAt, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    public async Task DeferOutboxAsync(OutboxMessage message, DateTimeOffset channelNextAt, string error, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var tx = c.BeginTransaction(deferred: false);
        await Exec(c, tx, "UPDATE outbox SET lease_owner = NULL, lease_until = NULL, last_error = $e WHERE message_id = $id AND lease_owner = $o;",
            cancellationToken, ("$e", error), ("$id", message.Id), ("$o", message.LeaseOwner));
        await PaceChannel(c, tx, message.Channel, channelNextAt, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    public async Task FailOutboxAsync(OutboxMessage message, string error, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await Exec(c, null, "UPDATE outbox SET failed = 1, failed_at = $now, lease_owner = NULL, lease_until = NULL, last_error = $e WHERE message_id = $id AND lease_owner = $o;",
            cancellationToken, ("$e", error), ("$id", message.Id), ("$o", message.LeaseOwner), ("$now", _time.GetUtcNow().UtcTicks));
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

    private static Task PaceChannel(SqliteConnection c, SqliteTransaction tx, string channel, DateTimeOffset notBefore, CancellationToken ct) =>
        Exec(c, tx,
            "INSERT INTO channels(channel, not_before) VALUES ($ch, $nb) ON CONFLICT(channel) DO UPDATE SET not_before = MAX(channels.not_before, excluded.not_before);",
            ct, ("$ch", channel), ("$nb", notBefore.UtcTicks));
}
