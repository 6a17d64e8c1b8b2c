using Amazon.DynamoDBv2;

namespace Bot.Integrations.Aws.DynamoDb;

/// <summary>
/// The bot's own AWSSDK DynamoDB client for reading table status (kept private so it never clashes
/// with a store's client), created on first use so a run-time endpoint (the sandbox) can be awaited.
/// </summary>
public sealed class DynamoDbClientProvider(
    AwsOptions options,
    AwsRegionProvider region,
    AwsEndpointResolver endpoints,
    IAwsCredentialsProvider credentials,
    IHttpClientFactory? httpClients = null,
    IAwsEndpointOverride? endpointOverride = null) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AmazonDynamoDBClient? _client;

    public async ValueTask<IAmazonDynamoDB> GetAsync(CancellationToken cancellationToken)
    {
        if (_client is { } ready) return ready;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_client is not null) return _client;
            var url = endpointOverride is null ? endpoints.Resolve(AwsService.DynamoDb) : await endpointOverride.GetEndpointAsync(cancellationToken);
            var config = new AmazonDynamoDBConfig
            {
                ServiceURL = url.ToString(),
                AuthenticationRegion = region.Region,
                Timeout = options.AttemptTimeout,
                MaxErrorRetry = options.MaxRetries,
            };
            if (httpClients is not null) config.HttpClientFactory = new SdkHttpClientFactory(httpClients);
            _client = credentials.SdkCredentials is { } keys ? new AmazonDynamoDBClient(keys, config) : new AmazonDynamoDBClient(config);
            return _client;
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
