using Bot.Integrations.Aws.DynamoDb;
using Bot.Workflows.Ports;

namespace Bot.Integrations.Aws.Recovery;

/// <summary><see cref="ITableRecovery"/> over DynamoDB's point-in-time recovery (AWSSDK.DynamoDBv2).</summary>
public sealed class AwsTableRecovery(IDynamoDbRecovery dynamo) : ITableRecovery
{
    public Task<TableFacts?> DescribeTableAsync(string table, CancellationToken cancellationToken) => AwsPortErrors.TranslateAsync(async () =>
    {
        try
        {
            var t = await dynamo.DescribeTableDetailsAsync(table, cancellationToken);
            return new TableFacts(t.Name, t.Status, t.ItemCount, t.SizeBytes, t.BillingMode, t.KeySchema, t.Indexes, t.SseStatus, t.RestoreInProgress, t.CreatedAt);
        }
        catch (AwsServiceException e) when (e.Kind == AwsErrorKind.NotFound)
        {
            return (TableFacts?)null;
        }
    });

    public Task<RestoreWindow> GetRestoreWindowAsync(string table, CancellationToken cancellationToken) => AwsPortErrors.TranslateAsync(async () =>
    {
        var pitr = await dynamo.DescribeContinuousBackupsAsync(table, cancellationToken);
        return new RestoreWindow(pitr.PitrEnabled, pitr.EarliestRestorable, pitr.LatestRestorable);
    });

    public Task StartRestoreAsync(string source, string target, DateTimeOffset? at, CancellationToken cancellationToken) =>
        AwsPortErrors.TranslateAsync(() => dynamo.RestoreTableToPointInTimeAsync(source, target, at, cancellationToken));

    public Task EnablePointInTimeRecoveryAsync(string table, CancellationToken cancellationToken) =>
        AwsPortErrors.TranslateAsync(() => dynamo.UpdateContinuousBackupsAsync(table, true, cancellationToken));

    public Task DeleteTableAsync(string table, CancellationToken cancellationToken) =>
        AwsPortErrors.TranslateAsync(() => dynamo.DeleteTableAsync(table, cancellationToken));
}
