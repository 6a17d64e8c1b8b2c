using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

/// <summary>The verified raw body of a Slack request, for the endpoints to parse.</summary>
public sealed record SlackRequestBody(byte[] Bytes);

/// <summary>
/// Runs before every <c>/slack/*</c> endpoint (as Bolt's signature middleware does): buffers the raw
/// body, checks Slack's signature against it, and answers 401 without dispatching anything when the
/// check fails. The signing secret never reaches a log line.
/// </summary>
public sealed class SlackSignatureMiddleware(RequestDelegate next, IOptionsMonitor<SlackOptions> options, TimeProvider time, ILogger<SlackSignatureMiddleware> logger)
{
    /// <summary>Slack's payloads are far smaller; anything bigger is refused before it is read whole.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private const string UnauthorizedText = "Invalid or missing Slack signature.";

    public async Task InvokeAsync(HttpContext context)
    {
        var timestamp = context.Request.Headers[SlackSignatureVerifier.TimestampHeader].FirstOrDefault();
        var signature = context.Request.Headers[SlackSignatureVerifier.SignatureHeader].FirstOrDefault();
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            logger.LogWarning("Slack request to {Path} refused: {Reason}", context.Request.Path, SignatureCheck.MissingHeaders);
            await Refuse(context, StatusCodes.Status401Unauthorized, UnauthorizedText);
            return;
        }
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await Refuse(context, StatusCodes.Status413PayloadTooLarge, "Request body too large.");
            return;
        }

        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            await Refuse(context, StatusCodes.Status413PayloadTooLarge, "Request body too large.");
            return;
        }

        var check = SlackSignatureVerifier.Verify(options.CurrentValue.SigningSecret, timestamp, signature, body, time.GetUtcNow());
        if (check != SignatureCheck.Valid)
        {
            if (check == SignatureCheck.NoSecretConfigured) logger.LogError("Slack request refused: Slack__SigningSecret is not set");
            else logger.LogWarning("Slack request to {Path} refused: {Reason}", context.Request.Path, check);
            await Refuse(context, StatusCodes.Status401Unauthorized, UnauthorizedText);
            return;
        }

        context.Features.Set(new SlackRequestBody(body));
        context.Request.Body = new MemoryStream(body, writable: false);
        await next(context);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static Task Refuse(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text);
    }
}
