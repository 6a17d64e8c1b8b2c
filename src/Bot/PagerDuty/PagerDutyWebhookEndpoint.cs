using System.Buffers;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Webhooks;
using Microsoft.Extensions.Options;

namespace Bot.PagerDuty;

/// <summary>
/// <c>POST /pagerduty/webhooks</c>: PagerDuty's V3 deliveries. The raw body is checked against
/// <c>X-PagerDuty-Signature</c> first (401 and nothing recorded when it does not match), then the event is
/// stored durably and answered 202; a worker hands it to the <see cref="IPagerDutyEventSink"/> later. An event about
/// another team's service (outside <c>PagerDuty__ServiceIds</c> / <c>__TeamIds</c>) is answered 202 and dropped.
/// PagerDuty drops a delivery on any 4xx but 429 and disables the subscription after repeated failures,
/// so a failure of ours (the store) is a 503, which PagerDuty retries; 4xx only for requests that are not
/// genuine deliveries.
/// </summary>
public static class PagerDutyWebhookEndpoint
{
    public const string WebhookIdHeader = "X-Webhook-Id";

    /// <summary>PagerDuty never delivers more than 256 KB.</summary>
    public const int MaxBodyBytes = 512 * 1024;

    public static async Task<IResult> HandleAsync(HttpContext context, IOptionsMonitor<PagerDutyOptions> options, PagerDutyInbox inbox, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(PagerDutyWebhookEndpoint).FullName!);
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes) return Text(StatusCodes.Status413PayloadTooLarge, "Request body too large.");
        var body = await ReadBodyAsync(request, context.RequestAborted);
        if (body is null) return Text(StatusCodes.Status413PayloadTooLarge, "Request body too large.");

        var check = PagerDutySignatureVerifier.Verify(options.CurrentValue.WebhookSecret, request.Headers[PagerDutySignatureVerifier.SignatureHeader].ToString(), body);
        if (check != PagerDutySignatureCheck.Valid)
        {
            if (check == PagerDutySignatureCheck.NoSecretConfigured)
                logger.LogError("PagerDuty webhook refused: PagerDuty__WebhookSecret is not set, so no delivery can be verified (answered 401; set the subscription's secret to take webhooks)");
            else logger.LogWarning("PagerDuty webhook refused: signature {Reason}", check);
            return Text(StatusCodes.Status401Unauthorized, "Invalid or missing PagerDuty signature.");
        }

        var webhookEvent = PagerDutyWebhookParser.Parse(body, out var error);
        if (webhookEvent is null || webhookEvent.Id.Length > PagerDutyInbox.MaxIdLength)
        {
            logger.LogWarning("Signed PagerDuty webhook refused: {Reason}", error ?? "event id too long");
            return Text(StatusCodes.Status400BadRequest, error ?? "The event id is too long.");
        }

        var webhookId = request.Headers[WebhookIdHeader].ToString();
        if (!options.CurrentValue.Scope.MayCover(webhookEvent))
        {
            // Another team's incident in the same account: acknowledged (PagerDuty must not retry it) and dropped.
            logger.LogInformation("PagerDuty {EventType} {EventId} is about service {ServiceId}, outside PagerDuty__ServiceIds / __TeamIds: ignored",
                webhookEvent.EventType, webhookEvent.Id, webhookEvent.Incident?.Service?.Id);
            return Results.Json(new { status = "ignored" }, statusCode: StatusCodes.Status202Accepted);
        }
        try
        {
            var admission = await inbox.AdmitAsync(webhookId, webhookEvent, body, context.RequestAborted);
            logger.LogInformation("PagerDuty {EventType} {EventId} (delivery {WebhookId}) {Admission}", webhookEvent.EventType, webhookEvent.Id, webhookId, admission);
            return Results.Json(new { status = admission.ToString().ToLowerInvariant() }, statusCode: StatusCodes.Status202Accepted);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(e, "PagerDuty {EventType} {EventId} could not be stored; answering 503 so PagerDuty delivers it again", webhookEvent.EventType, webhookEvent.Id);
            return Text(StatusCodes.Status503ServiceUnavailable, "Could not store the event; please retry.");
        }
    }

    /// <summary>The whole raw body (the signature is over its exact bytes), or null once it passes <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.Length > MaxBodyBytes)
            {
                reader.AdvanceTo(buffer.End);
                return null;
            }
            if (read.IsCompleted)
            {
                var body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return body;
            }
            // Nothing consumed yet: ask for more until the body is complete.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static IResult Text(int status, string text) => Results.Text(text, "text/plain", statusCode: status);
}
