using System.Net;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;

namespace Bot.Integrations.Aws.Kms;

/// <summary>
/// <see cref="IKmsClient"/> over AWSSDK.KeyManagementService, with the bot's credentials, region and endpoint
/// (<c>AWS_ENDPOINT_URL_KMS</c> honoured); created on first use, like the DynamoDB client of the cloud commands.
/// </summary>
public sealed class KmsClient(AwsOptions options, AwsRegionProvider region, AwsEndpointResolver endpoints, IAwsCredentialsProvider credentials,
    IAwsEndpointOverride? endpointOverride = null) : IKmsClient, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AmazonKeyManagementServiceClient? _client;

    public Task<(byte[] Plaintext, byte[] Ciphertext)> GenerateDataKeyAsync(string keyId, CancellationToken cancellationToken) => Call(async kms =>
    {
        var answer = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = keyId, KeySpec = DataKeySpec.AES_256 }, cancellationToken);
        return (answer.Plaintext.ToArray(), answer.CiphertextBlob.ToArray());
    });

    public Task<byte[]> DecryptAsync(string keyId, byte[] ciphertext, CancellationToken cancellationToken) => Call(async kms =>
    {
        var answer = await kms.DecryptAsync(new DecryptRequest { KeyId = keyId, CiphertextBlob = new MemoryStream(ciphertext) }, cancellationToken);
        return answer.Plaintext.ToArray();
    });

    private async Task<T> Call<T>(Func<AmazonKeyManagementServiceClient, Task<T>> call)
    {
        try
        {
            return await call(await ClientAsync());
        }
        catch (AmazonServiceException e)
        {
            throw new AwsServiceException(AwsService.Kms.Name, e.ErrorCode ?? "Unknown", e.Message, e.StatusCode == 0 ? HttpStatusCode.InternalServerError : e.StatusCode, e.RequestId);
        }
    }

    private async ValueTask<AmazonKeyManagementServiceClient> ClientAsync()
    {
        if (_client is { } ready) return ready;
        await _gate.WaitAsync();
        try
        {
            if (_client is not null) return _client;
            var url = endpointOverride is null ? endpoints.Resolve(AwsService.Kms) : await endpointOverride.GetEndpointAsync(CancellationToken.None);
            var config = new AmazonKeyManagementServiceConfig
            {
                ServiceURL = url.ToString(),
                AuthenticationRegion = region.Region,
                Timeout = options.AttemptTimeout,
                MaxErrorRetry = options.MaxRetries,
            };
            return _client = credentials.SdkCredentials is { } keys ? new AmazonKeyManagementServiceClient(keys, config) : new AmazonKeyManagementServiceClient(config);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _gate.Dispose();
    }
}
