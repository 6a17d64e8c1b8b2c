using Amazon;
using Amazon.S3;
using Bot.Integrations.Aws.DynamoDb;

namespace Bot.Integrations.Aws.S3;

/// <summary>
/// The bot's AWSSDK S3 client, created on first use so a run-time endpoint (the sandbox) can be awaited. With an
/// endpoint override (<c>AWS_ENDPOINT_URL_S3</c>, <c>AWS_ENDPOINT_URL</c>, the sandbox) it addresses buckets path style
/// (<c>/&lt;bucket&gt;/&lt;key&gt;</c>); against AWS it uses the region's virtual-hosted endpoints.
/// </summary>
public sealed class S3ClientProvider(
    AwsOptions options,
    AwsRegionProvider region,
    Func<string, string?> variable,
    IAwsCredentialsProvider credentials,
    IHttpClientFactory? httpClients = null,
    IAwsEndpointOverride? endpointOverride = null) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AmazonS3Client? _client;

    public async ValueTask<IAmazonS3> GetAsync(CancellationToken cancellationToken)
    {
        if (_client is { } ready) return ready;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_client is not null) return _client;
            var config = new AmazonS3Config
            {
                Timeout = options.AttemptTimeout,
                MaxErrorRetry = options.MaxRetries,
            };
            var endpoint = endpointOverride is not null ? (await endpointOverride.GetEndpointAsync(cancellationToken)).ToString() : ConfiguredEndpoint();
            if (endpoint is not null)
            {
                config.ServiceURL = endpoint;
                config.AuthenticationRegion = region.Region;
                config.ForcePathStyle = true;
            }
            else
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(region.Region);
            }
            if (httpClients is not null) config.HttpClientFactory = new SdkHttpClientFactory(httpClients);
            _client = credentials.SdkCredentials is { } keys ? new AmazonS3Client(keys, config) : new AmazonS3Client(config);
            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    private string? ConfiguredEndpoint()
    {
        var url = new[] { variable("AWS_ENDPOINT_URL_S3"), variable("AWS_ENDPOINT_URL"), options.EndpointUrl }.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        return url?.Trim();
    }

    public void Dispose()
    {
        _client?.Dispose();
        _gate.Dispose();
    }
}
