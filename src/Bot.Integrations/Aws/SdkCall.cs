using Amazon.Runtime;

namespace Bot.Integrations.Aws;

/// <summary>
/// Runs one call of an official AWSSDK client and turns its failures into the exceptions our own SigV4 clients throw
/// (<see cref="AwsServiceException"/> with the IAM action, <see cref="AwsUnreachableException"/>,
/// <see cref="AwsTimeoutException"/>, <see cref="AwsCredentialsUnavailableException"/>), so commands and adapters handle
/// every service the same way.
/// </summary>
internal static class SdkCall
{
    public static async Task<T> RunAsync<T>(AwsService service, string operation, string iamAction, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (AmazonServiceException e)
        {
            throw new AwsServiceException(service.Name, e.ErrorCode ?? "Unknown", e.Message, e.StatusCode, e.RequestId) { IamAction = iamAction };
        }
        catch (AmazonClientException e) when (e.InnerException is HttpRequestException or System.Net.Sockets.SocketException)
        {
            throw new AwsUnreachableException(service.Name, operation, e);
        }
        catch (AmazonClientException e) when (e.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
        {
            throw new AwsCredentialsUnavailableException(e);
        }
        catch (HttpRequestException e)
        {
            throw new AwsUnreachableException(service.Name, operation, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AwsTimeoutException(service.Name, operation, TimeSpan.Zero, e);
        }
    }
}
