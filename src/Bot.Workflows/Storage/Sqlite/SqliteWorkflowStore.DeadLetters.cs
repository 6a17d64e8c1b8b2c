using Microsoft.Data.Sqlite;

namespace Bot.Workflows.Storage.Sqlite;

/// <summary>
/// Dead letters: outbox rows marked <c>failed</c>. A row's card is <c>COALESCE(update_key, message_key)</c> (an edit names
/// the card it edits; a first post is the card): a newer message of the same card makes an older dead letter outdated.
/// </summary>
public sealed partial class SqliteWorkflowStore
{
    private const string CardOf = "COALESCE(update_key, message_key)";

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
        long seq;
        await using (var find = Command(c, tx, "SELECT seq FROM outbox WHERE message_id = $id AND failed = 1;", ("$id", messageId)))
        {
            if (await find.ExecuteScalarAsync(cancellationToken) is not long found) return DeadLetterReplay.NotFound;
            seq = found;
        }

        await using (var newer = Command(c, tx,
            $"SELECT COUNT(*) FROM outbox o WHERE o.seq > $seq AND {CardOf} = (SELECT {CardOf} FROM outbox WHERE seq = $seq);", ("$seq", seq)))
        {
            if (Convert.ToInt64(await newer.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                await Exec(c, tx, "DELETE FROM outbox WHERE seq = $seq;", cancellationToken, ("$seq", seq));
                await tx.CommitAsync(cancellationToken);
                return DeadLetterReplay.Superseded;
            }
        }

        // A new row (a new sequence number): the end of its channel's queue.
        await Exec(c, tx,
            """
            INSERT INTO outbox(message_id, message_key, channel, text, blocks, thread_key, update_key, created_at, attempts, last_error)
            SELECT message_id || '#replay', message_key, channel, text, blocks, thread_key, update_key, created_at, 0, 'replayed after: ' || COALESCE(last_error, '')
            FROM outbox WHERE seq = $seq;
            DELETE FROM outbox WHERE seq = $seq;
            UPDATE outbox SET message_id = $id WHERE message_id = $id || '#replay';
            """, cancellationToken, ("$seq", seq), ("$id", messageId));
        await tx.CommitAsync(cancellationToken);
        return DeadLetterReplay.Replayed;
    }

    /// <summary>Dead letters of <paramref name="delivered"/>'s card older than it: outdated now that a newer version went out.</summary>
    private static Task DropOutdatedDeadLetters(SqliteConnection c, SqliteTransaction tx, OutboxMessage delivered, CancellationToken ct) =>
        Exec(c, tx, $"DELETE FROM outbox WHERE failed = 1 AND seq < $seq AND {CardOf} = $card;", ct,
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
