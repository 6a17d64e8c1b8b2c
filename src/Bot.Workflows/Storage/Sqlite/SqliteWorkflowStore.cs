using System.Runtime.CompilerServices;
using Bot.Workflows.Audit;
using Bot.Workflows.Idempotency;
using Microsoft.Data.Sqlite;

namespace Bot.Workflows.Storage.Sqlite;

/// <summary>
/// The embedded store for one instance: one SQLite file in WAL mode with <c>synchronous=FULL</c>, one connection and one
/// <c>BEGIN IMMEDIATE</c> transaction per unit of work, so store objects sharing the file are serialized by SQLite's write lock
/// and never interleave a read-check-write. The bot's own store holds the file for its process (<see cref="HoldsFile"/>): a
/// second bot process is refused. Back it up while it runs with <c>VACUUM INTO</c> (README).
/// </summary>
public sealed partial class SqliteWorkflowStore : IWorkflowStore
{
    /// <summary>A claimed idempotency key with no outcome after this long belonged to a process that died; it may be claimed again.</summary>
    public static readonly TimeSpan AbandonedClaimAfter = IdempotencyClaim.AbandonedAfter;

    private readonly string _connectionString;
    private readonly TimeProvider _time;

    public SqliteWorkflowStore(string path, TimeProvider time)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _time = time;
        FilePath = path;
    }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Whether this store holds the file for its process (<see cref="SqliteFileLock"/>): the bot's own store does, so a second bot
    /// process on the same file is refused at start; a tool that only reads it alongside a running bot (a test) does not.
    /// </summary>
    public bool HoldsFile { get; init; }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (HoldsFile) SqliteFileLock.Acquire(FilePath);
        await using var c = await OpenAsync(cancellationToken);
        await Exec(c, null, "PRAGMA journal_mode=WAL;", cancellationToken);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        await Exec(c, tx, SqliteSchema.Create, cancellationToken);
        await MigrateAsync(c, tx, cancellationToken);
        await CreateCountsAsync(c, tx, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<AggregateRecord?> LoadAsync(string aggregateType, string aggregateId, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null, "SELECT state, data, version, updated_at FROM aggregates WHERE type = $t AND id = $i;",
            ("$t", aggregateType), ("$i", aggregateId));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await r.ReadAsync(cancellationToken)) return null;
        return new AggregateRecord(aggregateType, aggregateId, r.GetString(0), r.GetString(1), r.GetInt64(2), FromTicks(r.GetInt64(3)));
    }

    public async Task<IReadOnlyList<AggregateRecord>> ListAggregatesAsync(string aggregateType, DateTimeOffset? updatedSince, int max, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null,
            "SELECT id, state, data, version, updated_at FROM aggregates WHERE type = $t AND ($since IS NULL OR updated_at >= $since) ORDER BY updated_at DESC, id LIMIT $max;",
            ("$t", aggregateType), ("$since", updatedSince?.UtcTicks), ("$max", max));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<AggregateRecord>();
        while (await r.ReadAsync(cancellationToken))
            list.Add(new AggregateRecord(aggregateType, r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), FromTicks(r.GetInt64(4))));
        return list;
    }

    /// <summary>
    /// The aggregates of a type in one of <paramref name="states"/> states (<c>$t</c>, <c>$s0</c> …), through the index
    /// <c>aggregates_state</c>: the reconciler asks for the open incidents every few minutes, among a year of closed ones.
    /// </summary>
    internal static string InStatesQuery(int states) =>
        $"SELECT id, state, data, version, updated_at FROM aggregates WHERE type = $t AND state IN ({string.Join(", ", Enumerable.Range(0, states).Select(n => "$s" + n))}) ORDER BY +updated_at DESC, id;";

    public async Task<IReadOnlyList<AggregateRecord>> ListAggregatesInStatesAsync(string aggregateType, IReadOnlyCollection<string> states, CancellationToken cancellationToken)
    {
        if (states.Count == 0) return [];
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null, InStatesQuery(states.Count),
            [("$t", aggregateType), .. states.Select((state, i) => ("$s" + i, (object?)state))]);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<AggregateRecord>();
        while (await r.ReadAsync(cancellationToken))
            list.Add(new AggregateRecord(aggregateType, r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), FromTicks(r.GetInt64(4))));
        return list;
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null,
            $"SELECT {AuditColumns} FROM audit WHERE ($since IS NULL OR at >= $since) AND ($actor IS NULL OR actor_id = $actor OR actor_name = $actor) ORDER BY seq DESC LIMIT $limit;",
            ("$since", query.Since?.UtcTicks), ("$actor", query.ActorId), ("$limit", query.Limit));
        var list = new List<AuditRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) list.Add(ReadAudit(r));
        return list;
    }

    public IAsyncEnumerable<AuditRecord> ReadAuditChainAsync(CancellationToken cancellationToken) => ReadAuditChainAsync(1, cancellationToken);

    public async IAsyncEnumerable<AuditRecord> ReadAuditChainAsync(long fromSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, null, $"SELECT {AuditColumns} FROM audit WHERE seq >= $from ORDER BY seq ASC;", ("$from", fromSequence));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) yield return ReadAudit(r);
    }

    private const string AuditColumns = "seq, at, actor_id, actor_name, action, aggregate_type, aggregate_id, before_state, after_state, request_id, details, prev_hash, hash";

    private static AuditRecord ReadAudit(SqliteDataReader r) => new()
    {
        Sequence = r.GetInt64(0),
        At = FromTicks(r.GetInt64(1)),
        ActorId = r.GetString(2),
        ActorName = r.GetString(3),
        Action = r.GetString(4),
        AggregateType = NullableString(r, 5),
        AggregateId = NullableString(r, 6),
        Before = NullableString(r, 7),
        After = NullableString(r, 8),
        RequestId = NullableString(r, 9),
        DetailsJson = NullableString(r, 10),
        PreviousHash = r.GetString(11),
        Hash = r.GetString(12),
    };

    public async Task<IReadOnlyList<TimerRecord>> ClaimDueTimersAsync(DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var tx = c.BeginTransaction(deferred: false);
        var claimed = new List<TimerRecord>();
        await using (var cmd = Command(c, tx,
            """
            SELECT id, aggregate_type, aggregate_id, trigger, expectation, due_at, token, attempts, last_error FROM timers
            WHERE due_at <= $now AND dead_at IS NULL AND (lease_until IS NULL OR lease_until <= $now) ORDER BY due_at LIMIT $max;
            """, ("$now", now.UtcTicks), ("$max", max)))
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                claimed.Add(new TimerRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), NullableString(r, 4),
                    FromTicks(r.GetInt64(5)), r.GetString(6), owner, now + lease)
                {
                    LeaseToken = LeaseHold.NewToken(), Attempts = r.GetInt32(7) + 1, LastError = NullableString(r, 8),
                });
            }
        }
        foreach (var t in claimed)
        {
            await Exec(c, tx, "UPDATE timers SET lease_owner = $o, lease_until = $u, lease_token = $lt, attempts = attempts + 1 WHERE id = $id AND token = $token;",
                cancellationToken, ("$o", owner), ("$u", (now + lease).UtcTicks), ("$lt", t.LeaseToken), ("$id", t.Id), ("$token", t.Token));
        }
        await tx.CommitAsync(cancellationToken);
        return claimed;
    }

    public async Task<bool> RenewTimerLeaseAsync(TimerRecord timer, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        return await Exec(c, null, $"UPDATE timers SET lease_until = $u WHERE id = $id AND token = $token AND {HeldBy};", cancellationToken,
            ("$u", until.UtcTicks), ("$id", timer.Id), ("$token", timer.Token), ("$o", timer.LeaseOwner), ("$lt", timer.LeaseToken)) == 1;
    }

    /// <summary>The condition that a row is held by the claim of <c>$o</c> (owner) and <c>$lt</c> (token).</summary>
    private const string HeldBy = "lease_owner IS $o AND lease_token IS $lt";

    public async Task RemoveTimerAsync(string timerId, string token, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await Exec(c, null, "DELETE FROM timers WHERE id = $id AND token = $token;", cancellationToken, ("$id", timerId), ("$token", token));
    }

    public async Task<DateTimeOffset?> NextTimerDueAsync(CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        // A leased timer can be claimed again only when its lease is over: that, not its due time, is when it is next due here.
        await using var cmd = Command(c, null, "SELECT MIN(MAX(due_at, COALESCE(lease_until, 0))) FROM timers WHERE dead_at IS NULL;");
        var value = await cmd.ExecuteScalarAsync(cancellationToken);
        return value is long ticks ? FromTicks(ticks) : null;
    }

    public async Task<IdempotencyClaim> ClaimAsync(string key, TimeSpan retention, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await using var c = await OpenAsync(cancellationToken);
        await using var tx = c.BeginTransaction(deferred: false);
        var claim = await TakeKeyAsync(c, tx, key, retention, outcome: null, now, cancellationToken);
        if (!claim.IsFirst) return claim;
        await Exec(c, tx, "DELETE FROM idempotency WHERE expires_at <= $now AND key <> $k;", cancellationToken, ("$now", now.UtcTicks), ("$k", key));
        await tx.CommitAsync(cancellationToken);
        return claim;
    }

    /// <summary>
    /// Inside <paramref name="tx"/>: takes <paramref name="key"/> with <paramref name="outcome"/> (null: in progress) when it is
    /// new, expired, or abandoned by a claimer that died; otherwise writes nothing and returns the earlier claim.
    /// </summary>
    private async Task<IdempotencyClaim> TakeKeyAsync(SqliteConnection c, SqliteTransaction tx, string key, TimeSpan retention, string? outcome,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var cmd = Command(c, tx, "SELECT claimed_at, expires_at, outcome FROM idempotency WHERE key = $k;", ("$k", key)))
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            if (await r.ReadAsync(cancellationToken))
            {
                var earlier = NullableString(r, 2);
                var expired = r.GetInt64(1) <= now.UtcTicks;
                var abandoned = earlier is null && r.GetInt64(0) <= (now - AbandonedClaimAfter).UtcTicks;
                if (!expired && !abandoned) return new IdempotencyClaim(false, earlier);
            }
        }
        await Exec(c, tx,
            """
            INSERT INTO idempotency(key, claimed_at, expires_at, outcome) VALUES ($k, $now, $exp, $o)
            ON CONFLICT(key) DO UPDATE SET claimed_at = excluded.claimed_at, expires_at = excluded.expires_at, outcome = excluded.outcome;
            """, cancellationToken, ("$k", key), ("$now", now.UtcTicks), ("$exp", (now + retention).UtcTicks), ("$o", outcome));
        return IdempotencyClaim.First;
    }

    public async Task CompleteAsync(string key, string outcome, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await using var c = await OpenAsync(cancellationToken);
        await Exec(c, null,
            """
            INSERT INTO idempotency(key, claimed_at, expires_at, outcome) VALUES ($k, $now, $exp, $o)
            ON CONFLICT(key) DO UPDATE SET outcome = excluded.outcome;
            """, cancellationToken, ("$k", key), ("$now", now.UtcTicks), ("$exp", (now + TimeSpan.FromDays(1)).UtcTicks), ("$o", outcome));
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        // Pooled connections keep their settings: set them once per underlying database connection.
        if (c.Handle is { } handle && !Configured.TryGetValue(handle, out _))
        {
            // FULL: a commit is on disk before it returns, so what the bot acted on after a commit (a post, an alias move) is never
            // undone by a power loss (NORMAL in WAL mode may lose the last commits).
            await Exec(c, null, "PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL;", ct);
            Configured.AddOrUpdate(handle, Configured);
        }
        return c;
    }

    /// <summary>The native connections (kept alive by the pool) that have their PRAGMAs set.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Configured = new();

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    private static async Task<int> Exec(SqliteConnection c, SqliteTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(c, tx, sql, parameters);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static string? NullableString(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);
}
