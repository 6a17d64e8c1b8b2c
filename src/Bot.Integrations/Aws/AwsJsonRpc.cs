using System.Net.Http.Headers;
using System.Text.Json;

namespace Bot.Integrations.Aws;

/// <summary>
/// The AWS JSON protocol (1.0 / 1.1): <c>POST /</c>, the input as the JSON body,
/// <c>X-Amz-Target: prefix.Operation</c>, <c>Content-Type: application/x-amz-json-1.x</c>, and for
/// query-compatible services (CloudWatch) <c>x-amzn-query-mode: true</c>.
/// </summary>
internal sealed class AwsJsonRpc(HttpClient http, AwsService service, string jsonVersion, string targetPrefix, JsonSerializerOptions json, bool queryCompatible = false)
{
    public async Task<TResponse> CallAsync<TRequest, TResponse>(string operation, TRequest input, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/");
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(input, json));
        content.Headers.ContentType = new MediaTypeHeaderValue($"application/x-amz-json-{jsonVersion}");
        request.Content = content;
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"{targetPrefix}.{operation}");
        if (queryCompatible) request.Headers.TryAddWithoutValidation("x-amzn-query-mode", "true");

        using var response = await AwsCall.SendAsync(http, service, operation, request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (body.Length == 0) body = "{}"u8.ToArray();
        try
        {
            return JsonSerializer.Deserialize<TResponse>(body, json)
                   ?? throw new AwsServiceException(service.Name, "EmptyResponse", $"{operation} returned no body", response.StatusCode, null);
        }
        catch (JsonException e)
        {
            throw new AwsServiceException(service.Name, "MalformedResponse", $"{operation} returned JSON I could not read ({e.Message})", response.StatusCode, null);
        }
    }
}
