using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Bot.Integrations.Aws.DynamoDb;

/// <summary><see cref="IDynamoDbRecovery"/> with AWSSDK.DynamoDBv2; failures become <see cref="AwsServiceException"/>.</summary>
public sealed class DynamoDbRecovery(DynamoDbClientProvider clients) : IDynamoDbRecovery
{
    private static readonly AwsService Dynamo = AwsService.DynamoDb;

    public Task<TableDetails> DescribeTableDetailsAsync(string table, CancellationToken cancellationToken) =>
        Run("DescribeTable", async db => Details((await db.DescribeTableAsync(new DescribeTableRequest { TableName = table }, cancellationToken)).Table, table), cancellationToken);

    public Task<ContinuousBackups> DescribeContinuousBackupsAsync(string table, CancellationToken cancellationToken) =>
        Run("DescribeContinuousBackups", async db =>
        {
            var answer = await db.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = table }, cancellationToken);
            var pitr = answer.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
            return new ContinuousBackups(pitr?.PointInTimeRecoveryStatus?.Value == "ENABLED", Utc(pitr?.EarliestRestorableDateTime), Utc(pitr?.LatestRestorableDateTime));
        }, cancellationToken);

    public Task<IReadOnlyList<BackupEntry>> ListBackupsAsync(string table, CancellationToken cancellationToken) =>
        Run<IReadOnlyList<BackupEntry>>("ListBackups", async db =>
        {
            var backups = new List<BackupEntry>();
            string? start = null;
            for (var page = 0; page < 20; page++)
            {
                var answer = await db.ListBackupsAsync(new ListBackupsRequest { TableName = table, ExclusiveStartBackupArn = start, BackupType = BackupTypeFilter.ALL }, cancellationToken);
                backups.AddRange((answer.BackupSummaries ?? []).Select(b => new BackupEntry(b.BackupName ?? "", b.BackupArn ?? "", b.BackupStatus?.Value ?? "",
                    b.BackupType?.Value ?? "", Utc(b.BackupCreationDateTime) ?? DateTimeOffset.MinValue, b.BackupSizeBytes ?? 0)));
                start = answer.LastEvaluatedBackupArn;
                if (string.IsNullOrEmpty(start)) break;
            }
            return backups.OrderByDescending(b => b.CreatedAt).ToList();
        }, cancellationToken);

    public Task<TimeToLive> DescribeTimeToLiveAsync(string table, CancellationToken cancellationToken) =>
        Run("DescribeTimeToLive", async db =>
        {
            var ttl = (await db.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = table }, cancellationToken)).TimeToLiveDescription;
            return new TimeToLive(ttl?.TimeToLiveStatus?.Value ?? "DISABLED", ttl?.AttributeName);
        }, cancellationToken);

    public Task RestoreTableToPointInTimeAsync(string source, string target, DateTimeOffset? at, CancellationToken cancellationToken) =>
        Run("RestoreTableToPointInTime", async db =>
        {
            var request = new RestoreTableToPointInTimeRequest { SourceTableName = source, TargetTableName = target };
            if (at is { } time) request.RestoreDateTime = time.UtcDateTime;
            else request.UseLatestRestorableTime = true;
            await db.RestoreTableToPointInTimeAsync(request, cancellationToken);
            return true;
        }, cancellationToken);

    public Task UpdateContinuousBackupsAsync(string table, bool enabled, CancellationToken cancellationToken) =>
        Run("UpdateContinuousBackups", async db =>
        {
            await db.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
            {
                TableName = table,
                PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = enabled },
            }, cancellationToken);
            return true;
        }, cancellationToken);

    public Task DeleteTableAsync(string table, CancellationToken cancellationToken) =>
        Run("DeleteTable", async db =>
        {
            await db.DeleteTableAsync(new DeleteTableRequest { TableName = table }, cancellationToken);
            return true;
        }, cancellationToken);

    public Task UpdateTableAsync(UpdateTableRequest request, CancellationToken cancellationToken) =>
        Run("UpdateTable", async db =>
        {
            await db.UpdateTableAsync(request, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<ScanPage> ScanAsync(ScanRequest request, CancellationToken cancellationToken) =>
        Run("Scan", async db =>
        {
            var answer = await db.ScanAsync(request, cancellationToken);
            var last = answer.LastEvaluatedKey is { Count: > 0 } key ? key : null;
            return new ScanPage(answer.Items ?? [], last, answer.ScannedCount ?? 0);
        }, cancellationToken);

    public Task<bool> DeleteItemAsync(DeleteItemRequest request, CancellationToken cancellationToken) =>
        Run("DeleteItem", async db =>
        {
            try
            {
                await db.DeleteItemAsync(request, cancellationToken);
                return true;
            }
            catch (ConditionalCheckFailedException)
            {
                return false;
            }
        }, cancellationToken);

    private async Task<T> Run<T>(string operation, Func<IAmazonDynamoDB, Task<T>> call, CancellationToken cancellationToken) =>
        await SdkCall.RunAsync(Dynamo, operation, "dynamodb:" + operation, async () => await call(await clients.GetAsync(cancellationToken)), cancellationToken);

    private static TableDetails Details(TableDescription t, string name)
    {
        var indexes = t.GlobalSecondaryIndexes ?? [];
        return new TableDetails(
            t.TableName ?? name,
            t.TableStatus?.Value ?? "UNKNOWN",
            t.ItemCount ?? 0,
            t.TableSizeBytes ?? 0,
            t.BillingModeSummary?.BillingMode?.Value ?? "PROVISIONED",
            (t.KeySchema ?? []).Select(k => $"{k.AttributeName} ({k.KeyType?.Value})").ToList(),
            indexes.Select(i => i.IndexName ?? "").Concat((t.LocalSecondaryIndexes ?? []).Select(i => i.IndexName ?? "")).Order(StringComparer.Ordinal).ToList(),
            t.SSEDescription?.Status?.Value ?? "DEFAULT",
            t.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
            t.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
            indexes.ToDictionary(i => i.IndexName ?? "", i => (i.ProvisionedThroughput?.ReadCapacityUnits ?? 0, i.ProvisionedThroughput?.WriteCapacityUnits ?? 0), StringComparer.Ordinal),
            Utc(t.BillingModeSummary?.LastUpdateToPayPerRequestDateTime),
            Utc(t.CreationDateTime),
            t.RestoreSummary?.RestoreInProgress ?? false,
            Utc(t.RestoreSummary?.RestoreDateTime));
    }

    internal static DateTimeOffset? Utc(DateTime? at) => at switch
    {
        null => null,
        { Kind: DateTimeKind.Local } local => new DateTimeOffset(local.ToUniversalTime()),
        { } t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
    };
}
