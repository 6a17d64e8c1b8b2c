using System.Net.Http.Headers;
using System.Text.Json;
using Bot.Integrations.Aws.Json;

namespace Bot.Integrations.Aws.Lambda;

/// <summary>Lambda over rest-json: the method and URI of each operation from the service model.</summary>
public sealed class LambdaClient(HttpClient http) : ILambdaClient
{
    private static readonly AwsService Service = AwsService.Lambda;

    public Task<FunctionConfiguration> GetFunctionConfigurationAsync(string functionName, string? qualifier, CancellationToken cancellationToken) =>
        SendAsync<FunctionConfiguration>("GetFunctionConfiguration", HttpMethod.Get,
            $"/2015-03-31/functions/{Label(functionName)}/configuration" + (qualifier is null ? "" : $"?Qualifier={Uri.EscapeDataString(qualifier)}"),
            null, cancellationToken);

    public async Task<IReadOnlyList<FunctionConfiguration>> ListVersionsByFunctionAsync(string functionName, CancellationToken cancellationToken)
    {
        var versions = new List<FunctionConfiguration>();
        string? marker = null;
        for (var page = 0; page < 50; page++)
        {
            var uri = $"/2015-03-31/functions/{Label(functionName)}/versions?MaxItems=50" + (marker is null ? "" : $"&Marker={Uri.EscapeDataString(marker)}");
            var response = await SendAsync<ListVersionsResponse>("ListVersionsByFunction", HttpMethod.Get, uri, null, cancellationToken);
            versions.AddRange(response.Versions);
            marker = response.NextMarker;
            if (string.IsNullOrEmpty(marker)) break;
        }
        return versions;
    }

    public Task<AliasConfiguration> GetAliasAsync(string functionName, string alias, CancellationToken cancellationToken) =>
        SendAsync<AliasConfiguration>("GetAlias", HttpMethod.Get, $"/2015-03-31/functions/{Label(functionName)}/aliases/{Label(alias)}", null, cancellationToken);

    public Task<AliasConfiguration> UpdateAliasAsync(string functionName, string alias, UpdateAliasRequest update, CancellationToken cancellationToken) =>
        SendAsync<AliasConfiguration>("UpdateAlias", HttpMethod.Put, $"/2015-03-31/functions/{Label(functionName)}/aliases/{Label(alias)}", update, cancellationToken);

    public Task<FunctionConfiguration> PublishVersionAsync(string functionName, PublishVersionRequest request, CancellationToken cancellationToken) =>
        SendAsync<FunctionConfiguration>("PublishVersion", HttpMethod.Post, $"/2015-03-31/functions/{Label(functionName)}/versions", request, cancellationToken);

    public Task<FunctionConcurrency> GetFunctionConcurrencyAsync(string functionName, CancellationToken cancellationToken) =>
        SendAsync<FunctionConcurrency>("GetFunctionConcurrency", HttpMethod.Get, $"/2019-09-30/functions/{Label(functionName)}/concurrency", null, cancellationToken);

    public Task<FunctionConcurrency> PutFunctionConcurrencyAsync(string functionName, int reservedConcurrentExecutions, CancellationToken cancellationToken) =>
        SendAsync<FunctionConcurrency>("PutFunctionConcurrency", HttpMethod.Put, $"/2017-10-31/functions/{Label(functionName)}/concurrency",
            new FunctionConcurrency { ReservedConcurrentExecutions = reservedConcurrentExecutions }, cancellationToken);

    public Task DeleteFunctionConcurrencyAsync(string functionName, CancellationToken cancellationToken) =>
        SendAsync<Empty>("DeleteFunctionConcurrency", HttpMethod.Delete, $"/2017-10-31/functions/{Label(functionName)}/concurrency", null, cancellationToken);

    public Task<ProvisionedConcurrencyConfig> GetProvisionedConcurrencyConfigAsync(string functionName, string qualifier, CancellationToken cancellationToken) =>
        SendAsync<ProvisionedConcurrencyConfig>("GetProvisionedConcurrencyConfig", HttpMethod.Get, ProvisionedUri(functionName, qualifier), null, cancellationToken);

    public Task<ProvisionedConcurrencyConfig> PutProvisionedConcurrencyConfigAsync(string functionName, string qualifier, int provisionedConcurrentExecutions, CancellationToken cancellationToken) =>
        SendAsync<ProvisionedConcurrencyConfig>("PutProvisionedConcurrencyConfig", HttpMethod.Put, ProvisionedUri(functionName, qualifier),
            new { ProvisionedConcurrentExecutions = provisionedConcurrentExecutions }, cancellationToken);

    public Task DeleteProvisionedConcurrencyConfigAsync(string functionName, string qualifier, CancellationToken cancellationToken) =>
        SendAsync<Empty>("DeleteProvisionedConcurrencyConfig", HttpMethod.Delete, ProvisionedUri(functionName, qualifier), null, cancellationToken);

    private static string ProvisionedUri(string functionName, string qualifier) =>
        $"/2019-09-30/functions/{Label(functionName)}/provisioned-concurrency?Qualifier={Uri.EscapeDataString(Label(qualifier))}";

    public async Task<InvokeResponse> InvokeAsync(string functionName, InvokeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = $"/2015-03-31/functions/{Label(functionName)}/invocations" + (request.Qualifier is null ? "" : $"?Qualifier={Uri.EscapeDataString(request.Qualifier)}");
        using var message = new HttpRequestMessage(HttpMethod.Post, uri);
        message.Options.Set(AwsRequestOptions.RunsCode, true);
        message.Headers.TryAddWithoutValidation("X-Amz-Invocation-Type", request.InvocationType);
        if (request.TailLog) message.Headers.TryAddWithoutValidation("X-Amz-Log-Type", "Tail");
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(request.Payload));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Content = content;

        using var response = await AwsCall.SendAsync(http, Service, "Invoke", message, cancellationToken);
        string? Header(string name) => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
        string? tail = null;
        if (Header("X-Amz-Log-Result") is { Length: > 0 } encoded)
        {
            try
            {
                tail = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                throw new AwsServiceException(Service.Name, "MalformedResponse", "Invoke returned a log tail that is not base64", response.StatusCode, null);
            }
        }
        return new InvokeResponse
        {
            StatusCode = (int)response.StatusCode,
            FunctionError = Header("X-Amz-Function-Error"),
            ExecutedVersion = Header("X-Amz-Executed-Version"),
            LogTail = tail,
            Payload = await response.Content.ReadAsStringAsync(cancellationToken),
        };
    }

    public Task<FunctionConfiguration> UpdateFunctionConfigurationAsync(string functionName, UpdateFunctionConfigurationRequest update, CancellationToken cancellationToken) =>
        SendAsync<FunctionConfiguration>("UpdateFunctionConfiguration", HttpMethod.Put, $"/2015-03-31/functions/{Label(functionName)}/configuration", update, cancellationToken);

    private sealed record Empty;

    /// <summary>A URI label: the value percent-encoded as one path segment (an ARN's <c>:</c> becomes <c>%3A</c>).</summary>
    private static string Label(string value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("A Lambda function or alias name is required.", nameof(value));
        return Uri.EscapeDataString(value);
    }

    /// <summary>One call; any 2xx is its answer (the model documents one, e.g. 201 for PublishVersion, 204 for the deletes).</summary>
    private async Task<T> SendAsync<T>(string operation, HttpMethod method, string uri, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), AwsJson.Pascal));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Content = content;
        }
        using var response = await AwsCall.SendAsync(http, Service, operation, request, cancellationToken);
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
