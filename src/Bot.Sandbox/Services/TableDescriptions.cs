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
        var indexes = TableIndexes.Of(t);
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
            GlobalSecondaryIndexes = indexes.Count == 0 ? null : indexes.Select(index => new
            {
                IndexName = index.Name,
                KeySchema = IndexSchema(index),
                Projection = new { ProjectionType = "ALL" },
                IndexStatus = status == "CREATING" ? "CREATING" : "ACTIVE",
                ProvisionedThroughput = indexThroughput,
                IndexSizeBytes = size / (indexes.Count + 2),
                ItemCount = count,
                IndexArn = $"{t.Arn}/index/{index.Name}",
            }).ToList(),
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
                GlobalSecondaryIndexes = TableIndexes.Of(t) is { Count: > 0 } indexes ? indexes.Select(index => new
                {
                    IndexName = index.Name,
                    KeySchema = IndexSchema(index),
                    Projection = new { ProjectionType = "ALL" },
                    ProvisionedThroughput = new { ReadCapacityUnits = t.ReadCapacity, WriteCapacityUnits = t.WriteCapacity },
                }).ToList() : null,
                SSEDescription = t.KmsKeyArn.Length == 0 ? null : new { Status = "ENABLED", SSEType = "KMS", KMSMasterKeyArn = t.KmsKeyArn },
            },
        };
    }

    /// <summary>The table's key attributes and its indexes' (each once).</summary>
    private static List<object> AttributeDefinitions(DynamoTable t)
    {
        var keys = new List<(string Name, string Type)> { (t.HashKey, t.HashKeyType) };
        if (t.RangeKey is not null) keys.Add((t.RangeKey, t.RangeKeyType!));
        foreach (var index in TableIndexes.Of(t))
        {
            keys.Add((index.Keys.HashKey, index.Keys.HashKeyType));
            if (index.Keys.RangeKey is not null) keys.Add((index.Keys.RangeKey, index.Keys.RangeKeyType!));
        }
        return [.. keys.DistinctBy(k => k.Name).Select(k => (object)new { AttributeName = k.Name, AttributeType = k.Type })];
    }

    private static List<object> KeySchema(DynamoTable t)
    {
        var keySchema = new List<object> { new { AttributeName = t.HashKey, KeyType = "HASH" } };
        if (t.RangeKey is not null) keySchema.Add(new { AttributeName = t.RangeKey, KeyType = "RANGE" });
        return keySchema;
    }

    private static List<object> IndexSchema(TableIndex index)
    {
        var schema = new List<object> { new { AttributeName = index.Keys.HashKey, KeyType = "HASH" } };
        if (index.Keys.RangeKey is not null) schema.Add(new { AttributeName = index.Keys.RangeKey, KeyType = "RANGE" });
        return schema;
    }

    private static string StreamLabel(DynamoTable t) => t.Created.AddDays(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static double? Epoch(DateTimeOffset? t) => t is { } v ? SandboxJson.EpochSeconds(v) : null;
}
