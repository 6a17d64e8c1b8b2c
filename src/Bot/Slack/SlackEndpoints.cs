using Bot.Commands.Routing;
using Bot.Commands.Slack;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

/// <summary>
/// The three Slack endpoints. Each one only parses, checks the workspace, queues the work and acks
/// (Slack wants an answer within 3 s); the handlers run on <see cref="SlackWorkQueueWorker"/> and
/// answer through <c>response_url</c> or the Web API. Bad input gets a 4xx with a short reason.
/// </summary>
public static class SlackEndpoints
{
    public const string BusyText = "The bot is busy right now and could not take this request. Please try again in a minute.";
    public const string WrongWorkspaceText = "This bot belongs to another Slack workspace.";

    public static IResult Commands(HttpContext context, SlackWorkQueue queue, IOptionsMonitor<SlackOptions> options, ILoggerFactory logs)
    {
        var parsed = SlackPayloads.ParseSlashCommand(Body(context));
        if (parsed.Value is not { } command) return BadRequest(parsed.Error);
        if (!IsOurWorkspace(command.TeamId, options)) return Forbidden(context);
        if (!string.Equals(command.Request.Command, CommandRouter.SlashCommand, StringComparison.OrdinalIgnoreCase))
            return Ephemeral($"This bot answers `{CommandRouter.SlashCommand}` only.");

        var request = command.Request;
        var queued = queue.TryEnqueue(new SlackWork($"{CommandRouter.SlashCommand} from {request.User.UserId}", (services, ct) =>
        {
            var reply = services.GetRequiredService<SlackReplyChannelFactory>().Create(request.ChannelId, request.User.UserId, request.ResponseUrl);
            return services.GetRequiredService<CommandRouter>().DispatchAsync(request, reply, ct);
        }));
        if (!queued)
        {
            logs.CreateLogger(typeof(SlackEndpoints)).LogWarning("Slack work queue full; a command was turned away");
            return Ephemeral(BusyText);
        }
        return Results.Ok();
    }

    public static IResult Interactions(HttpContext context, SlackWorkQueue queue, IOptionsMonitor<SlackOptions> options, ILoggerFactory logs)
    {
        var parsed = SlackPayloads.ParseInteractionForm(Body(context));
        if (parsed.Value is not { } payload) return BadRequest(parsed.Error);
        if (!IsOurWorkspace(payload.TeamId, options)) return Forbidden(context);
        var logger = logs.CreateLogger(typeof(SlackEndpoints));
        if (payload.Request is not { } request)
        {
            logger.LogInformation("Slack interaction of type {Type} acknowledged; the bot does not act on it", payload.Type);
            return Results.Ok();
        }

        var queued = queue.TryEnqueue(new SlackWork($"{request.Type} {request.Id} from {request.User.UserId}", (services, ct) =>
        {
            var reply = services.GetRequiredService<SlackReplyChannelFactory>().Create(request.ChannelId, request.User.UserId, request.ResponseUrl);
            return services.GetRequiredService<InteractionRouter>().DispatchAsync(request, reply, ct);
        }));
        if (!queued)
        {
            logger.LogWarning("Slack work queue full; an interaction was turned away");
            return request.Type == InteractionRequest.ViewSubmission
                ? Results.Json(new { response_action = "errors", errors = new Dictionary<string, string>() }, statusCode: 503)
                : Ephemeral(BusyText);
        }
        return Results.Ok();
    }

    public static IResult Events(HttpContext context, SlackWorkQueue queue, IOptionsMonitor<SlackOptions> options, ILoggerFactory logs)
    {
        var parsed = SlackPayloads.ParseEvent(Body(context));
        if (parsed.Value is not { } envelope) return BadRequest(parsed.Error);
        if (envelope.Type == "url_verification")
            return envelope.Challenge is { } challenge ? Results.Json(new { challenge }) : BadRequest("url_verification without 'challenge'.");
        if (!IsOurWorkspace(envelope.TeamId, options))
        {
            context.Response.Headers["X-Slack-No-Retry"] = "1";
            return Forbidden(context);
        }

        var logger = logs.CreateLogger(typeof(SlackEndpoints));
        if (envelope.Type != "event_callback")
        {
            logger.LogInformation("Slack envelope of type {Type} acknowledged", envelope.Type);
            return Results.Ok();
        }
        if (string.IsNullOrEmpty(envelope.EventId)) return BadRequest("event_callback without 'event_id'.");

        var retry = context.Request.Headers["X-Slack-Retry-Num"].FirstOrDefault();
        if (retry is not null) logger.LogInformation("Slack retry {Retry} of event {EventId}", retry, envelope.EventId);

        // The claim on event_id happens in the work item, so a full queue (503, Slack retries later)
        // does not use the id up; a retry of an event already claimed is dropped there.
        var queued = queue.TryEnqueue(new SlackWork($"event {envelope.EventType} {envelope.EventId}", (services, ct) =>
            services.GetRequiredService<SlackEventHandler>().HandleAsync(envelope, ct)));
        return queued ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
    }

    private static byte[] Body(HttpContext context) =>
        context.Features.Get<SlackRequestBody>()?.Bytes
        ?? throw new InvalidOperationException("Slack endpoints must run behind SlackSignatureMiddleware.");

    private static bool IsOurWorkspace(string teamId, IOptionsMonitor<SlackOptions> options)
    {
        var ours = options.CurrentValue.TeamId;
        return string.IsNullOrWhiteSpace(ours) || string.Equals(teamId, ours, StringComparison.Ordinal);
    }

    private static IResult BadRequest(string? reason) => Results.Text(reason ?? "Bad request.", "text/plain", statusCode: StatusCodes.Status400BadRequest);

    private static IResult Forbidden(HttpContext context)
    {
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SlackEndpoints))
            .LogWarning("Slack request from another workspace refused");
        return Results.Text(WrongWorkspaceText, "text/plain", statusCode: StatusCodes.Status403Forbidden);
    }

    private static IResult Ephemeral(string text) => Results.Json(new { response_type = "ephemeral", text });
}
