using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bot.Commands.Aws.Json;

namespace Bot.Commands.Aws.Lambda;

/// <summary>Lambda over rest-json: the method and URI of each operation from the service model.</summary>
public sealed class LambdaClient(HttpClient http) : ILambdaClient
{
    private static readonly AwsService Service = AwsService.Lambda;

    public Task<GetFunctionResponse> GetFunctionAsync(string functionName, string? qualifier, CancellationToken cancellationToken) =>
        SendAsync<GetFunctionResponse>("GetFunction", HttpMethod.Get,
            $"/2015-03-31/functions/{Label(functionName)}" + (qualifier is null ? "" : $"?Qualifier={Uri.EscapeDataString(qualifier)}"),
            null, HttpStatusCode.OK, cancellationToken);

    public async Task<IReadOnlyList<FunctionConfiguration>> ListVersionsByFunctionAsync(string functionName, CancellationToken cancellationToken)
    {
        var versions = new List<FunctionConfiguration>();
        string? marker = null;
        for (var page = 0; page < 50; page++)
        {
            var uri = $"/2015-03-31/functions/{Label(functionName)}/versions?MaxItems=50" + (marker is null ? "" : $"&Marker={Uri.EscapeDataString(marker)}");
            var response = await SendAsync<ListVersionsResponse>("ListVersionsByFunction", HttpMethod.Get, uri, null, HttpStatusCode.OK, cancellationToken);
            versions.AddRange(response.Versions);
            marker = response.NextMarker;
            if (string.IsNullOrEmpty(marker)) break;
        }
        return versions;
    }

    public Task<AliasConfiguration> GetAliasAsync(string functionName, string alias, CancellationToken cancellationToken) =>
        SendAsync<AliasConfiguration>("GetAlias", HttpMethod.Get, $"/2015-03-31/functions/{Label(functionName)}/aliases/{Label(alias)}", null, HttpStatusCode.OK, cancellationToken);

    public Task<AliasConfiguration> UpdateAliasAsync(string functionName, string alias, UpdateAliasRequest update, CancellationToken cancellationToken) =>
        SendAsync<AliasConfiguration>("UpdateAlias", HttpMethod.Put, $"/2015-03-31/functions/{Label(functionName)}/aliases/{Label(alias)}", update, HttpStatusCode.OK, cancellationToken);

    public Task<FunctionConfiguration> PublishVersionAsync(string functionName, PublishVersionRequest request, CancellationToken cancellationToken) =>
        SendAsync<FunctionConfiguration>("PublishVersion", HttpMethod.Post, $"/2015-03-31/functions/{Label(functionName)}/versions", request, HttpStatusCode.Created, cancellationToken);

    public Task<FunctionConcurrency> GetFunctionConcurrencyAsync(string functionName, CancellationToken cancellationToken) =>
        SendAsync<FunctionConcurrency>("GetFunctionConcurrency", HttpMethod.Get, $"/2019-09-30/functions/{Label(functionName)}/concurrency", null, HttpStatusCode.OK, cancellationToken);

    public Task<FunctionConcurrency> PutFunctionConcurrencyAsync(string functionName, int reservedConcurrentExecutions, CancellationToken cancellationToken) =>
        SendAsync<FunctionConcurrency>("PutFunctionConcurrency", HttpMethod.Put, $"/2017-10-31/functions/{Label(functionName)}/concurrency",
            new FunctionConcurrency { ReservedConcurrentExecutions = reservedConcurrentExecutions }, HttpStatusCode.OK, cancellationToken);

    public Task<FunctionConfiguration> UpdateFunctionConfigurationAsync(string functionName, UpdateFunctionConfigurationRequest update, CancellationToken cancellationToken) =>
        SendAsync<FunctionConfiguration>("UpdateFunctionConfiguration", HttpMethod.Put, $"/2015-03-31/functions/{Label(functionName)}/configuration", update, HttpStatusCode.OK, cancellationToken);

    /// <summary>A URI label: the value percent-encoded as one path segment (an ARN's <c>:</c> becomes <c>%3A</c>).</summary>
    private static string Label(string value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("A Lambda function or alias name is required.", nameof(value));
        return Uri.EscapeDataString(value);
    }

    private async Task<T> SendAsync<T>(string operation, HttpMethod method, string uri, object? body, HttpStatusCode success, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), AwsJson.Pascal));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Content = content;
        }
        using var response = await AwsCall.SendAsync(http, Service, operation, request, [success], cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (bytes.Length == 0) bytes = "{}"u8.ToArray();
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, AwsJson.Pascal)
                   ?? throw new AwsServiceException(Service.Name, "EmptyResponse", $"{operation} returned no body", response.StatusCode, null);
        }
        catch (JsonException e)
        {
            throw new AwsServiceException(Service.Name, "MalformedResponse", $"{operation} returned JSON I could not read ({e.Message})", response.StatusCode, null);
        }
    }
}
