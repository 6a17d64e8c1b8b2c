using Amazon.Runtime;

namespace Bot.Integrations.Aws.DynamoDb;

/// <summary>
/// Lets the AWSSDK DynamoDB client take its HttpClient from <see cref="IHttpClientFactory"/>, so it
/// shares the app's handler lifetime and whatever every client is configured with (logging, timing).
/// The SDK keeps its own retries and signing.
/// </summary>
public sealed class SdkHttpClientFactory(IHttpClientFactory factory) : HttpClientFactory
{
    public const string ClientName = "aws-dynamodb-sdk";

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => factory.CreateClient(ClientName);

    // The factory owns the handlers; the SDK must neither cache nor dispose them.
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
}
