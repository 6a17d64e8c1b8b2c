using Microsoft.Data.Sqlite;

namespace Bot.Workflows.Storage.Sqlite;

/// <summary>
/// Dead letters: outbox rows marked <c>failed</c>. A card is its first post (<c>message_key</c>) with its edits
/// (<c>update_key</c>) and thread lines (<c>thread_key</c>): they share its fate, and a newer edit makes an older one outdated.
/// </summary>
public sealed partial class SqliteWorkflowStore
{
    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int max, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null,
            """
            SELECT seq, message_id, message_key, channel, text, blocks, thread_key, update_key, created_at, attempts, last_error, failed_at
            FROM outbox WHERE failed = 1 ORDER BY seq LIMIT $max;
            """, ("$max", max));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<DeadLetter>();
        while (await r.ReadAsync(cancellationToken))
        {
            var message = ReadOutboxMessage(r);
            list.Add(new DeadLetter(message, NullableString(r, 10) ?? "unknown", r.IsDBNull(11) ? message.CreatedAt : FromTicks(r.GetInt64(11))));
        }
        return list;
    }

    public async Task<int> CountDeadLettersAsync(CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT COUNT(*) FROM outbox WHERE failed = 1;");
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<DeadLetterReplay> ReplayDeadLetterAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var tx = c.BeginTransaction(deferred: false);
        (long Seq, string Key, string? Update, string? Thread) dead;
        await using (var find = Command(c, tx, "SELECT seq, message_key, update_key, thread_key FROM outbox WHERE message_id = $id AND failed = 1;", ("$id", messageId)))
        await using (var r = await find.ExecuteReaderAsync(cancellationToken))
        {
            if (!await r.ReadAsync(cancellationToken)) return DeadLetterReplay.NotFound;
            dead = (r.GetInt64(0), r.GetString(1), NullableString(r, 2), NullableString(r, 3));
        }

        // An older version of a card (an edit with a newer edit of the same card queued or given up too) would show an outdated card.
        if (dead.Update is not null && await CountAsync(c, tx, "SELECT COUNT(*) FROM outbox WHERE seq > $seq AND update_key = $card;", cancellationToken,
                ("$seq", dead.Seq), ("$card", dead.Update)) > 0)
        {
            await Exec(c, tx, "DELETE FROM outbox WHERE seq = $seq;", cancellationToken, ("$seq", dead.Seq));
            await tx.CommitAsync(cancellationToken);
            return DeadLetterReplay.Superseded;
        }

        // A card's first post goes back with what shares its fate: its edits (only the newest) and its thread lines, in order, and
        // the ones still queued before the replayed post move behind it. An edit or thread line of a card given up brings the card.
        var root = dead.Update is null && dead.Thread is null ? dead.Key
            : await CountAsync(c, tx, "SELECT COUNT(*) FROM outbox WHERE failed = 1 AND update_key IS NULL AND message_key = $card;", cancellationToken,
                ("$card", dead.Update ?? dead.Thread)) > 0 ? dead.Update ?? dead.Thread : null;
        var group = new List<long>();
        if (root is null) group.Add(dead.Seq);
        else
        {
            await using var members = Command(c, tx,
                """
                SELECT seq FROM outbox o
                WHERE (o.update_key IS NULL AND o.thread_key IS NULL AND o.message_key = $card AND o.failed = 1)
                   OR (o.thread_key = $card AND (o.failed = 1 OR o.lease_until IS NULL))
                   OR (o.update_key = $card AND (o.failed = 1 OR o.lease_until IS NULL)
                       AND NOT EXISTS (SELECT 1 FROM outbox n WHERE n.update_key = $card AND n.seq > o.seq))
                ORDER BY (o.update_key IS NULL AND o.thread_key IS NULL) DESC, o.seq;
                """, ("$card", root));
            await using var r = await members.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken)) group.Add(r.GetInt64(0));
        }
        // Older edits of the card given up with it are outdated.
        if (root is not null)
            await Exec(c, tx, $"DELETE FROM outbox WHERE failed = 1 AND update_key = $card AND seq NOT IN ({string.Join(",", group)});", cancellationToken, ("$card", root));

        // Each a new row (a new sequence number): the end of its channel's queue, in the group's order.
        foreach (var seq in group)
        {
            await Exec(c, tx,
                """
                INSERT INTO outbox(message_id, message_key, channel, text, blocks, thread_key, update_key, created_at, attempts, last_error)
                SELECT message_id || '#replay', message_key, channel, text, blocks, thread_key, update_key, created_at,
                    CASE WHEN failed = 1 THEN 0 ELSE attempts END,
                    CASE WHEN failed = 1 THEN 'replayed after: ' || COALESCE(last_error, '') ELSE last_error END
                FROM outbox WHERE seq = $seq;
                DELETE FROM outbox WHERE seq = $seq;
                UPDATE outbox SET message_id = substr(message_id, 1, length(message_id) - length('#replay')) WHERE seq = last_insert_rowid();
                """, cancellationToken, ("$seq", seq));
        }
        await tx.CommitAsync(cancellationToken);
        return DeadLetterReplay.Replayed;
    }

    private static async Task<long> CountAsync(SqliteConnection c, SqliteTransaction tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(c, tx, sql, parameters);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Dead edits of <paramref name="delivered"/>'s card older than it: outdated now that a newer version went out.</summary>
    private static Task DropOutdatedDeadLetters(SqliteConnection c, SqliteTransaction tx, OutboxMessage delivered, CancellationToken ct) =>
        Exec(c, tx, "DELETE FROM outbox WHERE failed = 1 AND seq < $seq AND update_key = $card;", ct,
            ("$seq", delivered.Sequence), ("$card", delivered.UpdateKey ?? delivered.Key));

    /// <summary>Columns added after the first schema, for files made by an older version.</summary>
    private static async Task MigrateAsync(SqliteConnection c, SqliteTransaction tx, CancellationToken ct)
    {
        foreach (var table in SqliteSchema.AddedColumns.Select(a => a.Table).Distinct())
        {
            var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            await using (var cmd = Command(c, tx, $"SELECT name FROM pragma_table_info('{table}');"))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                while (await r.ReadAsync(ct)) columns.Add(r.GetString(0));
            }
            foreach (var (_, column, type) in SqliteSchema.AddedColumns.Where(a => a.Table == table && !columns.Contains(a.Column)))
                await Exec(c, tx, $"ALTER TABLE {table} ADD COLUMN {column} {type};", ct);
        }
    }
}
