namespace Bot.Integrations.Aws.DynamoDb;

/// <summary>What the bot reads about a DynamoDB table.</summary>
public sealed record TableSummary(
    string Name,
    string Status,
    long ItemCount,
    long SizeBytes,
    string BillingMode,
    DateTimeOffset? CreatedAt);

/// <summary>DynamoDB DescribeTable, through AWSSDK.DynamoDBv2.</summary>
[AwsClient("dynamodb")]
public interface IDynamoDbTables
{
    Task<TableSummary> DescribeTableAsync(string tableName, CancellationToken cancellationToken);
}
