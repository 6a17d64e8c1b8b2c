using System.Globalization;
using System.Text.RegularExpressions;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>What a restore may change on the new table (RestoreTableToPointInTime's and RestoreTableFromBackup's overrides).</summary>
internal sealed record RestoreOverrides(string? BillingMode, (long Read, long Write)? Throughput, bool? SseEnabled, string? KmsKeyId);

public sealed partial class DynamoDbTables
{
    /// <summary>
    /// RestoreTableToPointInTime: a new table with the source's key schema, indexes, encryption and billing mode (or the
    /// overrides) and the items the source held at the restore time. It is CREATING for the restore duration, then
    /// ACTIVE, with PITR and TTL off as on AWS. With a <c>restore-fails</c> fault the copy disappears at that moment instead.
    /// </summary>
    internal TableState RestoreToPointInTime(string source, string target, DateTimeOffset? at, bool useLatest, RestoreOverrides overrides) => Change(now =>
    {
        if (at is not null && useLatest)
            throw new AwsException("ValidationException", "Only one of RestoreDateTime or UseLatestRestorableTime can be specified");
        if (at is null && !useLatest)
            throw new AwsException("ValidationException", "Either RestoreDateTime or UseLatestRestorableTime must be specified");
        CheckTargetName(target);
        var table = _tables.GetValueOrDefault(source) ?? _tables.Values.FirstOrDefault(t => t.Definition.Arn == source);
        if (table is null || table.IsGone(now))
            throw new AwsException("TableNotFoundException", $"Table not found: {source}");
        CheckTargetFree(target, now);
        if (table.Pitr.Window(now) is not { } window)
            throw new AwsException("PointInTimeRecoveryUnavailableException", $"Point in time recovery is not enabled for table '{table.Name}'");
        var time = useLatest ? window.Latest : at!.Value;
        if (time < window.Earliest || time > window.Latest)
            throw new AwsException("InvalidRestoreTimeException",
                $"Invalid restore time specified: RestoreDateTime must be between EarliestRestorableDateTime {Iso(window.Earliest)} and LatestRestorableDateTime {Iso(window.Latest)}");
        return StartRestore(table, table.Definition, target, time, new RestoreSource(table.Definition.Arn, null, time), overrides, now);
    });

    /// <summary>RestoreTableFromBackup: as a point-in-time restore, to the moment the backup was taken.</summary>
    internal TableState RestoreFromBackup(string backupArn, string target, RestoreOverrides overrides) => Change(now =>
    {
        CheckTargetName(target);
        var backup = _backups.FirstOrDefault(b => b.Arn == backupArn)
            ?? throw new AwsException("BackupNotFoundException", $"Backup not found: {backupArn}");
        if (backup.Status(now) != "AVAILABLE")
            throw new AwsException("BackupInUseException", $"Backup is being created: {backupArn}");
        CheckTargetFree(target, now);
        return StartRestore(backup.Source, backup.SourceDefinition, target, backup.Created,
            new RestoreSource(backup.SourceDefinition.Arn, backup.Arn, backup.Created), overrides, now);
    });

    private TableState StartRestore(TableState source, DynamoTable definition, string target, DateTimeOffset time, RestoreSource restore, RestoreOverrides overrides, DateTimeOffset now)
    {
        var running = _tables.Values.Count(t => !t.IsGone(now) && t.IsRestoring(now));
        if (running >= Options.ConcurrentRestoreLimit)
            throw new AwsException("LimitExceededException", $"There is a limit of {Options.ConcurrentRestoreLimit} concurrent restores per account; {running} are in progress.");

        var items = source.HasItems ? source.Items!.SnapshotAt(time, target, now) : null;
        var count = items?.CountAt(now) ?? definition.ItemCount;
        var size = definition.ItemCount == 0 ? 0 : (long)Math.Round(count * (double)definition.SizeBytes / definition.ItemCount);
        var (provisioned, read, write) = Billing(definition, overrides);
        var copy = definition with
        {
            Name = target,
            Arn = $"arn:aws:dynamodb:{_account.Options.Region}:{_account.Options.AccountId}:table/{target}",
            TableId = Deterministic.Guid(_account.Options.Seed, target + ":table-id", NextId()).ToString(),
            Created = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()),
            ItemCount = count,
            SizeBytes = size,
            Provisioned = provisioned,
            ReadCapacity = read,
            WriteCapacity = write,
            StreamEnabled = false,
            DeletionProtection = false,
            KmsKeyArn = overrides.SseEnabled switch
            {
                false => "",
                true => overrides.KmsKeyId ?? definition.KmsKeyArn,
                null => definition.KmsKeyArn,
            },
        };
        var duration = Options.RestoreDuration + Options.RestoreDurationPerGiB * (size / (double)(1L << 30));
        var done = now + duration;
        var state = new TableState(copy, generated: false, done, items is null ? null : (Func<TableItems>)(() => items))
        {
            ActiveAt = done,
            Restore = restore,
            RestoreFails = _account.Faults.TakeRestoreFailure(source.Name),
            LastUpdateToPayPerRequest = provisioned ? null : now,
        };
        Add(state);
        return state;
    }

    private static (bool Provisioned, int Read, int Write) Billing(DynamoTable source, RestoreOverrides overrides)
    {
        switch (overrides.BillingMode)
        {
            case null when overrides.Throughput is { } t:
                return (true, (int)t.Read, (int)t.Write);
            case null:
                return (source.Provisioned, source.ReadCapacity, source.WriteCapacity);
            case "PAY_PER_REQUEST" when overrides.Throughput is not null:
                throw new AwsException("ValidationException", "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            case "PAY_PER_REQUEST":
                return (false, 0, 0);
            case "PROVISIONED" when overrides.Throughput is { } t:
                return (true, (int)t.Read, (int)t.Write);
            case "PROVISIONED" when source.Provisioned:
                return (true, source.ReadCapacity, source.WriteCapacity);
            case "PROVISIONED":
                throw new AwsException("ValidationException", "One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
            default:
                throw new AwsException("ValidationException", $"1 validation error detected: Value '{overrides.BillingMode}' at 'billingModeOverride' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
        }
    }

    private void CheckTargetFree(string target, DateTimeOffset now)
    {
        if (_tables.TryGetValue(target, out var existing) && !existing.IsGone(now))
            throw new AwsException("TableAlreadyExistsException", $"Table already exists: {target}");
    }

    private static void CheckTargetName(string target)
    {
        if (target.Length is < 3 or > 255 || !TableNamePattern().IsMatch(target))
            throw new AwsException("ValidationException",
                $"1 validation error detected: Value '{target}' at 'targetTableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 3 and 255");
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-zA-Z0-9_.-]+$")]
    private static partial Regex TableNamePattern();
}
