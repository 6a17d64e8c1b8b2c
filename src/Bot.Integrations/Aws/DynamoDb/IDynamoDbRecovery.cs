using Amazon.DynamoDBv2.Model;

namespace Bot.Integrations.Aws.DynamoDb;

/// <summary>A table as DescribeTable shows it, with what a restore is verified against and what capacity changes read.</summary>
public sealed record TableDetails(
    string Name,
    string Status,
    long ItemCount,
    long SizeBytes,
    string BillingMode,
    IReadOnlyList<string> KeySchema,
    IReadOnlyList<string> Indexes,
    string SseStatus,
    long ReadCapacity,
    long WriteCapacity,
    IReadOnlyDictionary<string, (long Read, long Write)> IndexCapacity,
    DateTimeOffset? LastSwitchToOnDemand,
    DateTimeOffset? CreatedAt,
    bool RestoreInProgress,
    DateTimeOffset? RestoredFrom);

/// <summary>Point-in-time recovery: on or off, and the window a restore may name.</summary>
public sealed record ContinuousBackups(bool PitrEnabled, DateTimeOffset? EarliestRestorable, DateTimeOffset? LatestRestorable);

/// <summary>One backup ListBackups lists.</summary>
public sealed record BackupEntry(string Name, string Arn, string Status, string Type, DateTimeOffset CreatedAt, long SizeBytes);

/// <summary>TTL: ENABLED, DISABLED, ENABLING or DISABLING, and the attribute.</summary>
public sealed record TimeToLive(string Status, string? AttributeName)
{
    public bool Enabled => Status is "ENABLED" or "ENABLING";
}

/// <summary>A page of items and where the next page starts (null: the scan is over).</summary>
public sealed record ScanPage(IReadOnlyList<Dictionary<string, AttributeValue>> Items, Dictionary<string, AttributeValue>? LastEvaluatedKey, int ScannedCount);

/// <summary>
/// DynamoDB's backup, recovery, data-lifecycle and capacity operations through AWSSDK.DynamoDBv2. Method names are the
/// IAM actions they need.
/// </summary>
[AwsClient("dynamodb")]
public interface IDynamoDbRecovery
{
    /// <summary>DescribeTable, everything a restore's verification and a capacity change read.</summary>
    [IamAction("dynamodb:DescribeTable")]
    Task<TableDetails> DescribeTableDetailsAsync(string table, CancellationToken cancellationToken);

    Task<ContinuousBackups> DescribeContinuousBackupsAsync(string table, CancellationToken cancellationToken);

    /// <summary>The table's on-demand and system backups, newest first.</summary>
    Task<IReadOnlyList<BackupEntry>> ListBackupsAsync(string table, CancellationToken cancellationToken);

    Task<TimeToLive> DescribeTimeToLiveAsync(string table, CancellationToken cancellationToken);

    /// <summary>
    /// Restores <paramref name="source"/> as it was at <paramref name="at"/> (null: the latest restorable time) into a new
    /// table. AWS documents that the caller also needs the item actions on the new table (the restore writes it as them).
    /// </summary>
    [ChangesAws]
    [IamAction("RestoreTableToPointInTime")]
    [IamAction("Scan"), IamAction("Query"), IamAction("GetItem"), IamAction("PutItem"), IamAction("UpdateItem"), IamAction("DeleteItem"), IamAction("BatchWriteItem")]
    Task RestoreTableToPointInTimeAsync(string source, string target, DateTimeOffset? at, CancellationToken cancellationToken);

    /// <summary>Turns point-in-time recovery on or off.</summary>
    [ChangesAws]
    Task UpdateContinuousBackupsAsync(string table, bool enabled, CancellationToken cancellationToken);

    [ChangesAws]
    Task DeleteTableAsync(string table, CancellationToken cancellationToken);

    /// <summary>Switches billing mode or changes provisioned throughput (the table's and, given, its indexes').</summary>
    [ChangesAws]
    Task UpdateTableAsync(UpdateTableRequest request, CancellationToken cancellationToken);

    /// <summary>One page of a Scan (filter, projection and placeholders as the request says).</summary>
    Task<ScanPage> ScanAsync(ScanRequest request, CancellationToken cancellationToken);

    /// <summary>DeleteItem with its condition: false when the condition did not hold (nothing deleted).</summary>
    [ChangesAws]
    Task<bool> DeleteItemAsync(DeleteItemRequest request, CancellationToken cancellationToken);
}
