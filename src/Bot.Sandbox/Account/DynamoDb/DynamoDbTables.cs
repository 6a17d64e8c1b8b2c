using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>
/// The account's DynamoDB tables as the control plane sees them: the generated SecureBase tables plus tables made
/// through the API (restored copies), each with its status, point-in-time recovery, TTL, billing mode and (for the
/// user-sessions tables and the activity feeds, and copies of them) items; and the on-demand backups. Times come from the account's clock, so restores,
/// deletions and updates complete as it advances. Thread-safe: changes take one lock.
/// </summary>
public sealed partial class DynamoDbTables
{
    private readonly Lock _gate = new();
    private readonly SandboxAccount _account;
    private readonly Dictionary<string, TableState> _tables = new(StringComparer.Ordinal);
    private readonly List<TableBackup> _backups = [];
    private long _created;

    internal DynamoDbTables(SandboxAccount account)
    {
        _account = account;
        foreach (var table in account.Tables)
        {
            var (items, definitionCounts) = table.Profile.Suffix switch
            {
                SecureBaseCatalog.UserSessions => (() => GeneratedItems(table), true),
                // The feed's count is what its window holds, not the definition's modeled one.
                SecureBaseCatalog.ActivityFeed => (() => FeedItems(table), false),
                _ => ((Func<TableItems>?)null, true),
            };
            _tables[table.Name] = new TableState(table, generated: true, account.Created, items, definitionCounts);
        }
        DynamoDbSeed.Apply(this, account);
    }

    internal RecoveryOptions Options => _account.Options.Recovery;
    private DateTimeOffset Now => _account.Time.GetUtcNow();

    /// <summary>The names of the tables that exist now (ListTables), in order.</summary>
    public IReadOnlyList<string> TableNames => All().Select(t => t.Name).ToList();

    /// <summary>The table with this name or ARN that exists now, or null.</summary>
    internal TableState? Find(string nameOrArn)
    {
        var now = Now;
        lock (_gate)
        {
            var table = _tables.GetValueOrDefault(nameOrArn) ?? _tables.Values.FirstOrDefault(t => t.Definition.Arn == nameOrArn);
            return table is null || table.IsGone(now) ? null : table;
        }
    }

    internal IReadOnlyList<TableState> All()
    {
        var now = Now;
        lock (_gate) return _tables.Values.Where(t => !t.IsGone(now)).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Runs <paramref name="change"/> under the lock with the current time.</summary>
    internal T Change<T>(Func<DateTimeOffset, T> change)
    {
        lock (_gate) return change(Now);
    }

    /// <summary>Turns point-in-time recovery on (from now, with a recovery period) or off.</summary>
    internal PointInTimeRecovery SetPointInTimeRecovery(TableState table, bool enabled, int? days) => Change(now =>
    {
        if (days is not null && !enabled)
            throw new AwsException("ValidationException", "RecoveryPeriodInDays can only be set when PointInTimeRecoveryEnabled is true");
        if (days is < 1 or > PointInTimeRecovery.MaxDays)
            throw new AwsException("ValidationException", $"1 validation error detected: Value '{days}' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value between 1 and 35");
        if (table.Status(now) == "CREATING")
            throw new AwsException("ContinuousBackupsUnavailableException", $"Backups are being enabled for the table: {table.Name}. Please retry later");
        table.Pitr = !enabled ? PointInTimeRecovery.Off
            : table.Pitr.Enabled ? table.Pitr with { RecoveryPeriodInDays = days ?? table.Pitr.RecoveryPeriodInDays }
            : new PointInTimeRecovery(true, now, days ?? PointInTimeRecovery.MaxDays);
        return table.Pitr;
    });

    /// <summary>Turns TTL on for an attribute, or off; refuses what DynamoDB refuses (a second change within the hour, no change).</summary>
    internal TimeToLive SetTimeToLive(TableState table, bool enabled, string attribute) => Change(now =>
    {
        if (table.Ttl.LastChanged is { } last && now - last < TimeToLive.ChangeInterval)
            throw new AwsException("ValidationException", "Time to live has been modified multiple times within a fixed interval");
        if (enabled && table.Ttl.Enabled)
            throw new AwsException("ValidationException", "TimeToLive is already enabled");
        if (!enabled && !table.Ttl.Enabled)
            throw new AwsException("ValidationException", "TimeToLive is already disabled");
        if (!enabled && table.Ttl.AttributeName != attribute)
            throw new AwsException("ValidationException", $"TimeToLive attribute name does not match the existing one: {table.Ttl.AttributeName}");
        if (enabled) table.Items?.EnableTtl(attribute, now);
        else table.Items?.DisableTtl(now);
        table.Ttl = new TimeToLive(enabled, enabled ? attribute : table.Ttl.AttributeName, now);
        return table.Ttl;
    });

    /// <summary>
    /// Starts deleting a table: DELETING now, gone after <see cref="RecoveryOptions.TableDeletionDuration"/>. A table
    /// with PITR on leaves a SYSTEM backup, as DynamoDB keeps one for 35 days.
    /// </summary>
    internal void Delete(TableState table) => Change(now =>
    {
        if (table.Definition.DeletionProtection)
            throw new AwsException("ValidationException", "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
        var status = table.Status(now);
        if (status != "ACTIVE")
            throw new AwsException("ResourceInUseException", $"Attempt to change a resource which is still in use: Table is being {status switch { "CREATING" => "created", "UPDATING" => "updated", _ => "deleted" }}: {table.Name}");
        if (table.Pitr.Enabled)
            _backups.Add(new TableBackup(TableBackup.ArnFor(table.Definition, now, _account.Options.Seed, NextId()),
                $"{table.Name}$DeletedTableBackup", table, table.Definition, now, now, "SYSTEM"));
        table.DeletedAt = now;
        table.GoneAt = now + Options.TableDeletionDuration;
        return true;
    });

    private TableItems GeneratedItems(DynamoTable table)
    {
        var series = new SessionSeries(_account.Options.Seed, table.Name, (int)table.ItemCount, _account.Created);
        var items = new TableItems(TableKeys.Of(table), _account.Options.Seed, table.Name, Options.TtlDeletionDelay, new SessionItems(series));
        var state = _tables[table.Name];
        // TTL that was on when the account started deletes the expired sessions from then on, within the TTL delay.
        if (state.Ttl is { Enabled: true, AttributeName: { } attribute }) items.EnableTtl(attribute, _account.Created);
        return items;
    }

    private TableItems FeedItems(DynamoTable table) => new(TableKeys.Of(table), _account.Options.Seed, table.Name, Options.TtlDeletionDelay,
        new ActivityFeedItems(_account.Options.Seed, table.Environment, _account.Created));

    internal void Add(TableState table) => _tables[table.Name] = table;

    internal void AddBackup(TableBackup backup) => _backups.Add(backup);

    internal long NextId() => Interlocked.Increment(ref _created);
}
