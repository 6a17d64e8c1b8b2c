using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using Microsoft.Net.Http.Headers;

namespace Bot.Slack;

/// <summary>
/// The three Slack HTTP endpoints, behind <see cref="SlackSignatureMiddleware"/>. Each parses, hands
/// the request to <see cref="SlackDispatcher"/> and acks at once (Slack wants an answer within 3 s);
/// an answer that was ready at once (help, usage errors, refusals) is the ack's body, and the handlers
/// answer later through <c>response_url</c> or the Web API. Bad input gets a 400 with a
/// short reason; a body labelled with a type Slack never sends to that URL gets a 415.
/// </summary>
public static class SlackEndpoints
{
    public const string FormType = "application/x-www-form-urlencoded";
    public const string JsonType = "application/json";

    public static IResult Commands(HttpContext context, SlackDispatcher dispatcher)
    {
        if (WrongType(context, FormType) is { } refused) return refused;
        var parsed = SlackPayloads.ParseSlashCommand(Body(context));
        return parsed.Value is { } command ? Ack(dispatcher.Command(command)) : BadRequest(parsed.Error);
    }

    public static IResult Interactions(HttpContext context, SlackDispatcher dispatcher)
    {
        if (WrongType(context, FormType) is { } refused) return refused;
        var parsed = SlackPayloads.ParseInteractionForm(Body(context));
        if (parsed.Value is not { } payload) return BadRequest(parsed.Error);
        var ack = dispatcher.Interaction(payload);
        // A modal cannot show an ephemeral text; a busy bot keeps it open by refusing the submission.
        if (ack.Ack == SlackAck.Busy && payload.Type == InteractionRequest.ViewSubmission)
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        return Ack(ack);
    }

    public static IResult Events(HttpContext context, SlackDispatcher dispatcher)
    {
        if (WrongType(context, JsonType) is { } refused) return refused;
        var parsed = SlackPayloads.ParseEvent(Body(context));
        if (parsed.Value is not { } envelope) return BadRequest(parsed.Error);
        if (envelope.Type == "url_verification")
            return envelope.Challenge is { } challenge ? Results.Json(new { challenge }) : BadRequest("url_verification without 'challenge'.");
        if (envelope.Type == "event_callback" && string.IsNullOrEmpty(envelope.EventId)) return BadRequest("event_callback without 'event_id'.");

        var ack = dispatcher.Event(envelope, context.Request.Headers["X-Slack-Retry-Num"].FirstOrDefault());
        return ack.Ack switch
        {
            SlackAck.WrongWorkspace => NoRetry(context, Ack(ack)),
            // Events have no one to read a text; 503 makes Slack deliver again later.
            SlackAck.Busy => Results.StatusCode(StatusCodes.Status503ServiceUnavailable),
            _ => Results.Ok(),
        };
    }

    private static IResult Ack(SlackAckResult ack) => ack switch
    {
        { Ack: SlackAck.Accepted } => Results.Ok(),
        { Ack: SlackAck.WrongWorkspace } => Results.Text(ack.Text, "text/plain", statusCode: StatusCodes.Status403Forbidden),
        { Answer: { } answer } => Results.Bytes(SlackResponsePayload.Utf8Json(answer), JsonType),
        _ => Results.Json(new { response_type = "ephemeral", text = ack.Text }),
    };

    private static IResult NoRetry(HttpContext context, IResult result)
    {
        context.Response.Headers["X-Slack-No-Retry"] = "1";
        return result;
    }

    private static byte[] Body(HttpContext context) =>
        context.Features.Get<SlackRequestBody>()?.Bytes
        ?? throw new InvalidOperationException("Slack endpoints must run behind SlackSignatureMiddleware.");

    /// <summary>415 unless the body is labelled <paramref name="expected"/> (parameters such as charset aside).</summary>
    private static IResult? WrongType(HttpContext context, string expected) =>
        MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) && type.MediaType.Equals(expected, StringComparison.OrdinalIgnoreCase)
            ? null
            : Results.Text($"Slack sends this as {expected}.", "text/plain", statusCode: StatusCodes.Status415UnsupportedMediaType);

    private static IResult BadRequest(string? reason) => Results.Text(reason ?? "Bad request.", "text/plain", statusCode: StatusCodes.Status400BadRequest);
}
