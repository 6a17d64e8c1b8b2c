using Amazon.Runtime;

namespace Bot.Integrations.Aws.DynamoDb;

/// <summary>
/// Runs one AWSSDK DynamoDB call and turns its failures into ours (<see cref="AwsServiceException"/> with the IAM action,
/// <see cref="AwsUnreachableException"/>, <see cref="AwsCredentialsUnavailableException"/>, <see cref="AwsTimeoutException"/>),
/// so commands handle DynamoDB like the services of our own clients.
/// </summary>
internal static class DynamoDbCall
{
    public static async Task<T> RunAsync<T>(DynamoDbClientProvider clients, string operation, Func<Amazon.DynamoDBv2.IAmazonDynamoDB, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(await clients.GetAsync(cancellationToken));
        }
        catch (AmazonServiceException e)
        {
            throw new AwsServiceException(AwsService.DynamoDb.Name, e.ErrorCode ?? "Unknown", e.Message, e.StatusCode, e.RequestId) { IamAction = "dynamodb:" + operation };
        }
        catch (AmazonClientException e) when (e.InnerException is HttpRequestException or System.Net.Sockets.SocketException)
        {
            throw new AwsUnreachableException(AwsService.DynamoDb.Name, operation, e);
        }
        catch (AmazonClientException e) when (e.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
        {
            throw new AwsCredentialsUnavailableException(e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AwsTimeoutException(AwsService.DynamoDb.Name, operation, TimeSpan.Zero, e);
        }
    }
}
