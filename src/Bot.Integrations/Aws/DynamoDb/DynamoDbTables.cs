using Amazon.DynamoDBv2.Model;

namespace Bot.Integrations.Aws.DynamoDb;

/// <summary>
/// DescribeTable with the official SDK client. SDK errors become <see cref="AwsServiceException"/>
/// like those of our own clients, so commands handle every service the same way.
/// </summary>
public sealed class DynamoDbTables(DynamoDbClientProvider clients) : IDynamoDbTables
{
    public async Task<TableSummary> DescribeTableAsync(string tableName, CancellationToken cancellationToken)
    {
        var response = await DynamoDbCall.RunAsync(clients, "DescribeTable",
            dynamo => dynamo.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, cancellationToken), cancellationToken);

        var table = response.Table;
        return new TableSummary(
            table.TableName ?? tableName,
            table.TableStatus?.Value ?? "UNKNOWN",
            table.ItemCount ?? 0,
            table.TableSizeBytes ?? 0,
            table.BillingModeSummary?.BillingMode?.Value ?? "PROVISIONED",
            table.CreationDateTime is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null);
    }
}
