using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Bot.Integrations.Aws.DynamoDb;

/// <summary>
/// DescribeTable with the official SDK client. SDK errors become <see cref="AwsServiceException"/>
/// like those of our own clients, so commands handle every service the same way.
/// </summary>
public sealed class DynamoDbTables(DynamoDbClientProvider clients) : IDynamoDbTables
{
    public async Task<TableSummary> DescribeTableAsync(string tableName, CancellationToken cancellationToken)
    {
        DescribeTableResponse response;
        try
        {
            var dynamo = await clients.GetAsync(cancellationToken);
            response = await dynamo.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, cancellationToken);
        }
        catch (AmazonServiceException e)
        {
            throw new AwsServiceException(AwsService.DynamoDb.Name, e.ErrorCode ?? "Unknown", e.Message, e.StatusCode, e.RequestId) { IamAction = "dynamodb:DescribeTable" };
        }
        catch (AmazonClientException e) when (e.InnerException is HttpRequestException or System.Net.Sockets.SocketException)
        {
            throw new AwsUnreachableException(AwsService.DynamoDb.Name, "DescribeTable", e);
        }
        catch (AmazonClientException e) when (e.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
        {
            throw new AwsCredentialsUnavailableException(e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AwsTimeoutException(AwsService.DynamoDb.Name, "DescribeTable", TimeSpan.Zero, e);
        }

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
