using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Sandbox.PagerDuty;

/// <summary>Reading and writing the simulated PagerDuty's HTTP bodies.</summary>
internal static class PagerDutyHttp
{
    private const int MaxBodyBytes = 512 * 1024;

    public static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes) throw new PagerDutyException(413, 2001, "Request Entity Too Large");
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        if (buffer.Length > MaxBodyBytes) throw new PagerDutyException(413, 2001, "Request Entity Too Large");
        return buffer.ToArray();
    }

    public static async Task<JsonNode> ReadJsonAsync(HttpRequest request)
    {
        var body = await ReadBodyAsync(request);
        try
        {
            return JsonNode.Parse(body) ?? throw PagerDutyException.InvalidInput("The body is empty.");
        }
        catch (JsonException)
        {
            throw PagerDutyException.InvalidInput("The body is not valid JSON.");
        }
    }

    public static Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var text = body is JsonNode node ? node.ToJsonString(Json) : JsonSerializer.Serialize(body, Json);
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, PagerDutyException error) =>
        WriteAsync(context, error.Status, new { error = new { message = error.Message, code = error.Code, errors = error.Errors } });
}
