using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Bot.Integrations.Aws.Signing;
using Bot.Integrations.Slack;

namespace Bot.Integrations.Aws;

/// <summary>Where the signer gets credentials for each request.</summary>
public interface IAwsCredentialsProvider
{
    /// <summary>Current credentials; throws <see cref="AwsCredentialsUnavailableException"/> when there are none.</summary>
    ValueTask<AwsCredentialSet> GetAsync(CancellationToken cancellationToken);

    /// <summary>The same credentials as an SDK object, for AWSSDK clients (DynamoDB).</summary>
    AWSCredentials? SdkCredentials { get; }
}

/// <summary>
/// AWSSDK.Core's default chain (environment, profile incl. SSO and assume-role, web identity,
/// container and instance roles). The SDK caches and refreshes before expiry; we ask it per request.
/// </summary>
public sealed class SdkDefaultCredentialsProvider : IAwsCredentialsProvider, IDisposable
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(10);
    private readonly DefaultAWSCredentialsIdentityResolver _resolver = new();

    public AWSCredentials? SdkCredentials => null;

    public void Dispose() => _resolver.Dispose();

    public async ValueTask<AwsCredentialSet> GetAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        ImmutableCredentials immutable;
        try
        {
            var credentials = await _resolver.ResolveIdentityAsync(null!, timeout.Token);
            immutable = await credentials.GetCredentialsAsync();
        }
        catch (AmazonClientException e)
        {
            throw new AwsCredentialsUnavailableException(e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AwsCredentialsUnavailableException(e);
        }
        if (immutable is null || string.IsNullOrEmpty(immutable.AccessKey))
            throw new AwsCredentialsUnavailableException(null);
        return new AwsCredentialSet(immutable.AccessKey, immutable.SecretKey, immutable.UseToken ? immutable.Token : null);
    }
}

/// <summary>Fixed keys: the sandbox account and tests.</summary>
public sealed class StaticCredentialsProvider(AwsCredentialSet credentials) : IAwsCredentialsProvider
{
    public AWSCredentials SdkCredentials { get; } = string.IsNullOrEmpty(credentials.SessionToken)
        ? new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey)
        : new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);

    public ValueTask<AwsCredentialSet> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(credentials);
}

/// <summary>No AWS credentials could be found anywhere in the chain.</summary>
public sealed class AwsCredentialsUnavailableException(Exception? inner)
    : IntegrationException(
        ":key: I have no AWS credentials. Whoever runs the bot should set `AWS_PROFILE` (or `AWS_ACCESS_KEY_ID` and " +
        "`AWS_SECRET_ACCESS_KEY`), or give it an IAM role. To try the commands without AWS, run the local shell " +
        "(`dotnet run --project src/Bot -- shell`), which uses the sandbox account.", inner);
