using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>Point-in-time recovery, restores and on-demand backups.</summary>
internal sealed partial class DynamoDbService
{
    private object DescribeContinuousBackups(JsonInput input) => ContinuousBackups(Find(input, "TableNotFoundException").Pitr);

    private object UpdateContinuousBackups(JsonInput input)
    {
        var table = Find(input, "TableNotFoundException");
        var spec = input.Object("PointInTimeRecoverySpecification")
                   ?? throw input.Invalid("1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null");
        var enabled = spec.Bool("PointInTimeRecoveryEnabled")
                      ?? throw spec.Invalid("1 validation error detected: Value null at 'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' failed to satisfy constraint: Member must not be null");
        return ContinuousBackups(Tables.SetPointInTimeRecovery(table, enabled, spec.Int("RecoveryPeriodInDays")));
    }

    private object ContinuousBackups(PointInTimeRecovery pitr)
    {
        var window = pitr.Window(Now);
        return new
        {
            ContinuousBackupsDescription = new
            {
                ContinuousBackupsStatus = "ENABLED",
                PointInTimeRecoveryDescription = new
                {
                    PointInTimeRecoveryStatus = pitr.Enabled ? "ENABLED" : "DISABLED",
                    RecoveryPeriodInDays = pitr.Enabled ? pitr.RecoveryPeriodInDays : (int?)null,
                    EarliestRestorableDateTime = window is { } w ? SandboxJson.EpochSeconds(w.Earliest) : (double?)null,
                    LatestRestorableDateTime = window is { } l ? SandboxJson.EpochSeconds(l.Latest) : (double?)null,
                },
            },
        };
    }

    private object RestoreTableToPointInTime(JsonInput input)
    {
        var source = input.String("SourceTableArn") ?? input.String("SourceTableName")
                     ?? throw input.Invalid("Either SourceTableArn or SourceTableName must be specified");
        var target = input.RequiredString("TargetTableName");
        var table = Tables.RestoreToPointInTime(source, target, input.Timestamp("RestoreDateTime"), input.Bool("UseLatestRestorableTime") ?? false, Overrides(input));
        return new { TableDescription = TableDescriptions.Table(table, Now) };
    }

    private object RestoreTableFromBackup(JsonInput input)
    {
        var table = Tables.RestoreFromBackup(input.RequiredString("BackupArn"), input.RequiredString("TargetTableName"), Overrides(input));
        return new { TableDescription = TableDescriptions.Table(table, Now) };
    }

    private static RestoreOverrides Overrides(JsonInput input)
    {
        if (input.Objects("GlobalSecondaryIndexOverride").Count > 0 || input.Objects("LocalSecondaryIndexOverride").Count > 0)
            throw input.Invalid("The sandbox restores every index of the source; it does not take GlobalSecondaryIndexOverride or LocalSecondaryIndexOverride.");
        var throughput = input.Object("ProvisionedThroughputOverride") is { } t
            ? ((long, long)?)((t.Long("ReadCapacityUnits") ?? 0, t.Long("WriteCapacityUnits") ?? 0))
            : null;
        var sse = input.Object("SSESpecificationOverride");
        return new RestoreOverrides(input.String("BillingModeOverride"), throughput, sse?.Bool("Enabled"), sse?.String("KMSMasterKeyId"));
    }

    private object CreateBackup(JsonInput input)
    {
        var table = Find(input, "TableNotFoundException");
        var backup = Tables.CreateBackup(table, input.RequiredString("BackupName"));
        return new { BackupDetails = TableDescriptions.BackupDetails(backup, Now) };
    }

    private object DescribeBackup(JsonInput input)
    {
        var arn = input.RequiredString("BackupArn");
        var backup = Tables.Backup(arn) ?? throw new AwsException("BackupNotFoundException", $"Backup not found: {arn}");
        return new { BackupDescription = TableDescriptions.BackupDescription(backup, Now) };
    }

    private object DeleteBackup(JsonInput input)
    {
        var backup = Tables.DeleteBackup(input.RequiredString("BackupArn"));
        return new { BackupDescription = TableDescriptions.BackupDescription(backup, Now, "DELETED") };
    }

    private object ListBackups(JsonInput input)
    {
        var limit = input.Int("Limit") ?? 100;
        if (limit is < 1 or > 100)
            throw input.Invalid($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100");
        var type = input.String("BackupType") ?? "USER";
        if (type is not ("USER" or "SYSTEM" or "AWS_BACKUP" or "ALL"))
            throw input.Invalid($"1 validation error detected: Value '{type}' at 'backupType' failed to satisfy constraint: Member must satisfy enum value set: [USER, SYSTEM, AWS_BACKUP, ALL]");
        var backups = Tables.Backups(input.String("TableName"), input.Timestamp("TimeRangeLowerBound"), input.Timestamp("TimeRangeUpperBound"), type).ToList();
        if (input.String("ExclusiveStartBackupArn") is { } start)
        {
            var at = backups.FindIndex(b => b.Arn == start);
            if (at < 0) throw input.Invalid($"Invalid ExclusiveStartBackupArn: {start}");
            backups = backups[(at + 1)..];
        }
        var page = backups.Take(limit).ToList();
        var now = Now;
        return new
        {
            BackupSummaries = page.Select(b => TableDescriptions.BackupSummary(b, now)).ToList(),
            LastEvaluatedBackupArn = backups.Count > limit ? page[^1].Arn : null,
        };
    }
}
