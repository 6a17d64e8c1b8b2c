using System.Globalization;
using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>DynamoDB's <c>TableDescription</c> (DescribeTable, RestoreTableToPointInTime, DeleteTable, UpdateTable) and the backup shapes.</summary>
internal static class TableDescriptions
{
    public static object Table(TableState state, DateTimeOffset now)
    {
        var t = state.Definition;
        var status = state.Status(now);
        var count = state.ItemCount(now);
        var size = state.SizeBytes(now);
        var created = SandboxJson.EpochSeconds(t.Created);
        var throughput = new
        {
            LastIncreaseDateTime = Epoch(state.LastIncrease),
            LastDecreaseDateTime = Epoch(state.LastDecrease),
            NumberOfDecreasesToday = state.DecreasesToday(now),
            ReadCapacityUnits = t.ReadCapacity,
            WriteCapacityUnits = t.WriteCapacity,
        };
        var indexThroughput = state.IndexCapacity is { } ic
            ? new { LastIncreaseDateTime = (double?)null, LastDecreaseDateTime = (double?)null, NumberOfDecreasesToday = 0, ReadCapacityUnits = (int)ic.Read, WriteCapacityUnits = (int)ic.Write }
            : throughput;
        return new
        {
            AttributeDefinitions = AttributeDefinitions(t),
            TableName = t.Name,
            KeySchema = KeySchema(t),
            TableStatus = status,
            CreationDateTime = created,
            ProvisionedThroughput = throughput,
            TableSizeBytes = size,
            ItemCount = count,
            TableArn = t.Arn,
            TableId = t.TableId,
            BillingModeSummary = new
            {
                BillingMode = t.Provisioned ? "PROVISIONED" : "PAY_PER_REQUEST",
                LastUpdateToPayPerRequestDateTime = Epoch(state.LastUpdateToPayPerRequest),
            },
            GlobalSecondaryIndexes = t.IndexName is null ? null : new[]
            {
                new
                {
                    IndexName = t.IndexName,
                    KeySchema = IndexSchema(t),
                    Projection = new { ProjectionType = "ALL" },
                    IndexStatus = status == "CREATING" ? "CREATING" : "ACTIVE",
                    ProvisionedThroughput = indexThroughput,
                    IndexSizeBytes = size / 3,
                    ItemCount = count,
                    IndexArn = $"{t.Arn}/index/{t.IndexName}",
                },
            },
            StreamSpecification = t.StreamEnabled ? new { StreamEnabled = true, StreamViewType = "NEW_AND_OLD_IMAGES" } : null,
            LatestStreamLabel = t.StreamEnabled ? StreamLabel(t) : null,
            LatestStreamArn = t.StreamEnabled ? $"{t.Arn}/stream/{StreamLabel(t)}" : null,
            RestoreSummary = state.Restore is { } r
                ? new
                {
                    SourceBackupArn = r.SourceBackupArn,
                    SourceTableArn = r.SourceTableArn,
                    RestoreDateTime = SandboxJson.EpochSeconds(r.RestoreDateTime),
                    RestoreInProgress = status == "CREATING",
                }
                : null,
            SSEDescription = t.KmsKeyArn.Length == 0 ? null : new { Status = "ENABLED", SSEType = "KMS", KMSMasterKeyArn = t.KmsKeyArn },
            TableClassSummary = new { TableClass = "STANDARD" },
            DeletionProtectionEnabled = t.DeletionProtection,
        };
    }

    public static object BackupDetails(TableBackup b, DateTimeOffset now, string? status = null) => new
    {
        BackupArn = b.Arn,
        BackupName = b.Name,
        BackupSizeBytes = b.SizeBytes,
        BackupStatus = status ?? b.Status(now),
        BackupType = b.Type,
        BackupCreationDateTime = SandboxJson.EpochSeconds(b.Created),
    };

    public static object BackupSummary(TableBackup b, DateTimeOffset now) => new
    {
        TableName = b.SourceDefinition.Name,
        TableId = b.SourceDefinition.TableId,
        TableArn = b.SourceDefinition.Arn,
        BackupArn = b.Arn,
        BackupName = b.Name,
        BackupCreationDateTime = SandboxJson.EpochSeconds(b.Created),
        BackupStatus = b.Status(now),
        BackupType = b.Type,
        BackupSizeBytes = b.SizeBytes,
    };

    public static object BackupDescription(TableBackup b, DateTimeOffset now, string? status = null)
    {
        var t = b.SourceDefinition;
        return new
        {
            BackupDetails = BackupDetails(b, now, status),
            SourceTableDetails = new
            {
                TableName = t.Name,
                TableId = t.TableId,
                TableArn = t.Arn,
                TableSizeBytes = b.SizeBytes,
                KeySchema = KeySchema(t),
                TableCreationDateTime = SandboxJson.EpochSeconds(t.Created),
                ProvisionedThroughput = new { ReadCapacityUnits = t.ReadCapacity, WriteCapacityUnits = t.WriteCapacity },
                ItemCount = b.ItemCount,
                BillingMode = t.Provisioned ? "PROVISIONED" : "PAY_PER_REQUEST",
            },
            SourceTableFeatureDetails = new
            {
                GlobalSecondaryIndexes = t.IndexName is null ? null : new[]
                {
                    new
                    {
                        IndexName = t.IndexName,
                        KeySchema = IndexSchema(t),
                        Projection = new { ProjectionType = "ALL" },
                        ProvisionedThroughput = new { ReadCapacityUnits = t.ReadCapacity, WriteCapacityUnits = t.WriteCapacity },
                    },
                },
                SSEDescription = t.KmsKeyArn.Length == 0 ? null : new { Status = "ENABLED", SSEType = "KMS", KMSMasterKeyArn = t.KmsKeyArn },
            },
        };
    }

    private static List<object> AttributeDefinitions(DynamoTable t)
    {
        var attributes = new List<object> { new { AttributeName = t.HashKey, AttributeType = t.HashKeyType } };
        if (t.RangeKey is not null) attributes.Add(new { AttributeName = t.RangeKey, AttributeType = t.RangeKeyType });
        if (t.IndexHashKey is not null && t.IndexHashKey != t.HashKey) attributes.Add(new { AttributeName = t.IndexHashKey, AttributeType = "S" });
        return attributes;
    }

    private static List<object> KeySchema(DynamoTable t)
    {
        var keySchema = new List<object> { new { AttributeName = t.HashKey, KeyType = "HASH" } };
        if (t.RangeKey is not null) keySchema.Add(new { AttributeName = t.RangeKey, KeyType = "RANGE" });
        return keySchema;
    }

    private static List<object> IndexSchema(DynamoTable t)
    {
        var indexSchema = new List<object> { new { AttributeName = t.IndexHashKey, KeyType = "HASH" } };
        if (t.IndexName is not null && t.IndexName.Contains("createdAt", StringComparison.Ordinal))
            indexSchema.Add(new { AttributeName = "createdAt", KeyType = "RANGE" });
        return indexSchema;
    }

    private static string StreamLabel(DynamoTable t) => t.Created.AddDays(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static double? Epoch(DateTimeOffset? t) => t is { } v ? SandboxJson.EpochSeconds(v) : null;
}
