namespace Bot.Workflows.Storage.Sqlite;

/// <summary>The SQLite schema (times are UTC ticks).</summary>
internal static class SqliteSchema
{
    /// <summary>Columns added after the first schema (table, column, type), added to files made by an older version.</summary>
    public static readonly (string Table, string Column, string Type)[] AddedColumns =
    [
        ("outbox", "failed_at", "INTEGER"),
        ("outbox", "lease_token", "TEXT"),
        ("timers", "lease_token", "TEXT"),
        ("timers", "attempts", "INTEGER NOT NULL DEFAULT 0"),
        ("timers", "last_error", "TEXT"),
        ("work", "lease_token", "TEXT"),
        ("work", "dead_at", "INTEGER"),
        ("timers", "dead_at", "INTEGER"),
        ("channels", "edits_not_before", "INTEGER"),
        ("outbox", "urgent", "INTEGER NOT NULL DEFAULT 0"),
    ];

    public const string Create =
        """
        CREATE TABLE IF NOT EXISTS aggregates (
            type TEXT NOT NULL, id TEXT NOT NULL, state TEXT NOT NULL, data TEXT NOT NULL,
            version INTEGER NOT NULL, updated_at INTEGER NOT NULL,
            PRIMARY KEY (type, id));
        CREATE INDEX IF NOT EXISTS aggregates_updated ON aggregates(type, updated_at);
        CREATE INDEX IF NOT EXISTS aggregates_state ON aggregates(type, state, updated_at);
        CREATE TABLE IF NOT EXISTS audit (
            seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor_id TEXT NOT NULL, actor_name TEXT NOT NULL,
            action TEXT NOT NULL, aggregate_type TEXT, aggregate_id TEXT, before_state TEXT, after_state TEXT,
            request_id TEXT, details TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS audit_at ON audit(at);
        CREATE TABLE IF NOT EXISTS audit_checkpoints (
            seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, at INTEGER NOT NULL, key_source TEXT NOT NULL, wrapped_key TEXT NOT NULL, mac TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL UNIQUE, message_key TEXT NOT NULL,
            channel TEXT NOT NULL, text TEXT NOT NULL, blocks TEXT, thread_key TEXT, update_key TEXT,
            created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, lease_owner TEXT, lease_until INTEGER,
            last_error TEXT, failed INTEGER NOT NULL DEFAULT 0, failed_at INTEGER, lease_token TEXT, urgent INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS outbox_channel ON outbox(channel, seq);
        CREATE TABLE IF NOT EXISTS sent_messages (
            message_key TEXT PRIMARY KEY, message_id TEXT NOT NULL, channel TEXT NOT NULL, ts TEXT NOT NULL, sent_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS sent_messages_at ON sent_messages(sent_at);
        CREATE TABLE IF NOT EXISTS channels (channel TEXT PRIMARY KEY, not_before INTEGER NOT NULL, edits_not_before INTEGER);
        CREATE TABLE IF NOT EXISTS timers (
            id TEXT PRIMARY KEY, aggregate_type TEXT NOT NULL, aggregate_id TEXT NOT NULL, trigger TEXT NOT NULL,
            expectation TEXT, due_at INTEGER NOT NULL, token TEXT NOT NULL, lease_owner TEXT, lease_until INTEGER,
            lease_token TEXT, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, dead_at INTEGER);
        CREATE INDEX IF NOT EXISTS timers_due ON timers(due_at);
        CREATE TABLE IF NOT EXISTS idempotency (
            key TEXT PRIMARY KEY, claimed_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, outcome TEXT);
        CREATE INDEX IF NOT EXISTS idempotency_expiry ON idempotency(expires_at);
        CREATE TABLE IF NOT EXISTS work (
            id TEXT PRIMARY KEY, queue TEXT NOT NULL, payload TEXT NOT NULL, aggregate_type TEXT, aggregate_id TEXT,
            created_at INTEGER NOT NULL, due_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
            lease_owner TEXT, lease_until INTEGER, completed_at INTEGER, outcome TEXT, forget_after INTEGER, lease_token TEXT,
            dead_at INTEGER);
        CREATE INDEX IF NOT EXISTS work_due ON work(queue, completed_at, due_at);
        -- The sweep of tombstones past their retention before each enqueue (a webhook): without it, a scan of the whole table,
        -- 40 ms with a week of 50,000 handled webhooks, inside the write lock (bench/README, storm --history).
        CREATE INDEX IF NOT EXISTS work_forget ON work(forget_after) WHERE completed_at IS NOT NULL;
        -- The dead letters among them, counted for /sb status and the gauge every minute.
        CREATE INDEX IF NOT EXISTS work_dead ON work(queue, dead_at) WHERE dead_at IS NOT NULL AND completed_at IS NULL;
        CREATE TABLE IF NOT EXISTS instances (
            id TEXT PRIMARY KEY, host TEXT NOT NULL, version TEXT NOT NULL, started_at INTEGER NOT NULL, seen_at INTEGER NOT NULL);
        """;

    /// <summary>
    /// How many workflows of a type are in each state, kept by triggers in the write that moves one (whatever version of the
    /// bot writes the file), so status reads a few rows instead of the workflows. Made (and counted once) by <see cref="CreateCounts"/>.
    /// </summary>
    public const string CountsTable = "aggregate_counts";

    public const string CreateCounts =
        """
        CREATE TABLE IF NOT EXISTS aggregate_counts (type TEXT NOT NULL, state TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (type, state));
        CREATE TRIGGER IF NOT EXISTS aggregates_counted_in AFTER INSERT ON aggregates BEGIN
            INSERT INTO aggregate_counts(type, state, count) VALUES (new.type, new.state, 1) ON CONFLICT(type, state) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER IF NOT EXISTS aggregates_counted_moved AFTER UPDATE OF state ON aggregates WHEN old.state IS NOT new.state BEGIN
            UPDATE aggregate_counts SET count = count - 1 WHERE type = old.type AND state = old.state;
            INSERT INTO aggregate_counts(type, state, count) VALUES (new.type, new.state, 1) ON CONFLICT(type, state) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER IF NOT EXISTS aggregates_counted_out AFTER DELETE ON aggregates BEGIN
            UPDATE aggregate_counts SET count = count - 1 WHERE type = old.type AND state = old.state;
        END;
        """;

    /// <summary>Counts the stored workflows of type <c>$t</c> anew (inside a transaction).</summary>
    public const string Recount =
        """
        DELETE FROM aggregate_counts WHERE type = $t;
        INSERT INTO aggregate_counts(type, state, count) SELECT type, state, COUNT(*) FROM aggregates WHERE type = $t GROUP BY type, state;
        """;
}
