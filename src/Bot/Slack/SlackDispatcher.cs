using Bot.Commands.Audit;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

/// <summary>What the transport should answer Slack with, right away.</summary>
public enum SlackAck
{
    /// <summary>Accepted (or deliberately ignored): an empty 200.</summary>
    Accepted,
    /// <summary>Accepted with a short ephemeral text to show (e.g. "only /sb is handled").</summary>
    AcceptedWithText,
    /// <summary>From another workspace: refused, nothing dispatched.</summary>
    WrongWorkspace,
    /// <summary>The work queue is full: try again later.</summary>
    Busy,
}

/// <summary>
/// The ack decision, with the text to show when there is one; <paramref name="Answer"/> is a whole answer that was ready
/// at once (e.g. <c>/sb help</c>), which goes in the ack as Bolt's <c>ack({text, blocks})</c> does.
/// </summary>
public sealed record SlackAckResult(SlackAck Ack, string? Text = null, ChatMessage? Answer = null)
{
    public static SlackAckResult Answered(ChatMessage answer) => new(SlackAck.AcceptedWithText, SlackMrkdwn.Render(answer.Text), answer);

    public static readonly SlackAckResult Accepted = new(SlackAck.Accepted);
    public static readonly SlackAckResult WrongWorkspace = new(SlackAck.WrongWorkspace, SlackDispatcher.WrongWorkspaceText);
    public static readonly SlackAckResult Busy = new(SlackAck.Busy, SlackDispatcher.BusyText);
}

/// <summary>
/// What happens to a parsed Slack request, whichever way it arrived (HTTP or Socket Mode): the
/// workspace is checked, the slow work is queued for <see cref="SlackWorkQueueWorker"/>, and the
/// caller learns what to ack with. Never waits on the handlers, so the ack is always prompt. The queued
/// work runs through <see cref="SlackReplayGuard"/>: a copy of a delivery already seen does nothing.
/// The claim is made when the work runs, so a full queue does not use a delivery's id up.
/// A command goes through the command pipeline in its two halves: <see cref="CommandRouter.Begin"/> in the ack, and
/// <see cref="CommandRouter.ContinueAsync"/> in the queued work. One whose answer is ready at once (help, usage errors,
/// refusals) is answered in the ack; what is queued for it is only its audit record, written in one write together with
/// the delivery's replay key (a replayed copy gets the same answer, which changes nothing, and leaves no second record).
/// </summary>
public sealed class SlackDispatcher(SlackWorkQueue queue, IOptionsMonitor<SlackOptions> options, ILogger<SlackDispatcher> logger, CommandRouter? router = null)
{
    public const string BusyText = "The bot is busy right now and could not take this request. Please try again in a minute.";
    public const string WrongWorkspaceText = "This bot belongs to another Slack workspace.";

    public SlackAckResult Command(SlashCommand command)
    {
        if (!IsOurWorkspace(command.TeamId)) return SlackAckResult.WrongWorkspace;
        if (!string.Equals(command.Request.Command, CommandRouter.SlashCommand, StringComparison.OrdinalIgnoreCase))
            return new SlackAckResult(SlackAck.AcceptedWithText, $"This bot answers `{CommandRouter.SlashCommand}` only.");

        var request = command.Request;
        if (router is null) return SlackAckResult.Accepted;
        var turn = router.Begin(request);
        var what = $"{CommandRouter.SlashCommand} {turn.Verb ?? "(unknown)"}";
        if (turn.Answer is { } answer)
        {
            // The record is the only work left: written with the delivery's replay key in one write (a replayed copy writes nothing).
            var recorded = Enqueue($"{CommandRouter.SlashCommand} from {request.User.UserId} (answered in the ack)", (services, ct) =>
                RunLoggedAsync(services, "command", request.RequestId, request.User.UserId, what, replayKey: null, async () =>
                {
                    await router.ContinueAsync(turn.AnsweredInTheAck(SlackReplayGuard.CommandKey(command)), reply: null, ct);
                    return CommandAuditRecorder.AnsweredInTheAck;
                }, ct));
            // Every command leaves its audit record: when that cannot be queued, the answer waits too.
            return recorded.Ack == SlackAck.Accepted ? SlackAckResult.Answered(answer) : recorded;
        }
        return Enqueue($"{CommandRouter.SlashCommand} from {request.User.UserId}", (services, ct) =>
            RunLoggedAsync(services, "command", request.RequestId, request.User.UserId, what, SlackReplayGuard.CommandKey(command), async () =>
            {
                // The trigger id lets a command open a form (e.g. /sb change new) within Slack's 3 s window.
                var reply = services.GetRequiredService<SlackReplyChannelFactory>().Create(request.ChannelId, request.User.UserId, request.ResponseUrl, request.TriggerId);
                return await router.ContinueAsync(turn, reply, ct);
            }, ct));
    }

    public SlackAckResult Interaction(InteractionPayload payload)
    {
        if (!IsOurWorkspace(payload.TeamId)) return SlackAckResult.WrongWorkspace;
        if (payload.Request is not { } request)
        {
            logger.LogInformation("Slack interaction of type {Type} acknowledged; the bot does not act on it", payload.Type);
            return SlackAckResult.Accepted;
        }
        return Enqueue($"{request.Type} {request.Id} from {request.User.UserId}", (services, ct) =>
            RunLoggedAsync(services, request.Type, request.RequestId, request.User.UserId, request.Id, SlackReplayGuard.InteractionKey(request), async () =>
            {
                // The trigger id lets a handler open a form (views.open) within Slack's 3 s window.
                var reply = services.GetRequiredService<SlackReplyChannelFactory>().Create(request.ChannelId, request.User.UserId, request.ResponseUrl, request.TriggerId);
                await services.GetRequiredService<InteractionRouter>().DispatchAsync(request, reply, ct);
                return "handled";
            }, ct));
    }

    /// <summary>
    /// Runs one delivery's work once (<see cref="SlackReplayGuard"/> on <paramref name="replayKey"/>; null when the work's
    /// one write carries the key itself) inside a log scope naming the request, user and
    /// command, so every line it causes (workflow transitions included) carries them, and ends with one line saying
    /// how it came out.
    /// </summary>
    private async Task RunLoggedAsync(IServiceProvider services, string kind, string requestId, string userId, string what, string? replayKey,
        Func<Task<string>> work, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["SlackRequestId"] = requestId, ["UserId"] = userId, ["Command"] = what });
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            if (replayKey is null) outcome = await work();
            else if (!await services.GetRequiredService<SlackReplayGuard>().RunOnceAsync(replayKey, async () => outcome = await work(), cancellationToken)) outcome = "replay";
        }
        finally
        {
            logger.LogInformation("Slack {Kind} {SlackRequestId} from {UserId}: {Command} ended {Outcome} in {ElapsedMs} ms",
                kind, requestId, userId, what, outcome, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>An Events API delivery other than <c>url_verification</c>; <paramref name="retry"/> is Slack's retry number, if any.</summary>
    public SlackAckResult Event(EventEnvelope envelope, string? retry)
    {
        if (!IsOurWorkspace(envelope.TeamId)) return SlackAckResult.WrongWorkspace;
        if (envelope.Type != "event_callback" || string.IsNullOrEmpty(envelope.EventId))
        {
            logger.LogInformation("Slack envelope of type {Type} acknowledged", envelope.Type);
            return SlackAckResult.Accepted;
        }
        if (retry is not null) logger.LogInformation("Slack retry {Retry} of event {EventId}", retry, envelope.EventId);

        // The claim on event_id happens in the work item, so a full queue (Slack retries later) does
        // not use the id up; a retry of an event already claimed is dropped there.
        return Enqueue($"event {envelope.EventType} {envelope.EventId}", (services, ct) =>
            services.GetRequiredService<SlackEventHandler>().HandleAsync(envelope, ct));
    }

    private SlackAckResult Enqueue(string description, Func<IServiceProvider, CancellationToken, Task> work)
    {
        if (queue.TryEnqueue(new SlackWork(description, work))) return SlackAckResult.Accepted;
        logger.LogWarning("Slack work queue full; turned away {Work}", description);
        return SlackAckResult.Busy;
    }

    private bool IsOurWorkspace(string teamId)
    {
        var ours = options.CurrentValue.TeamId;
        if (string.IsNullOrWhiteSpace(ours) || string.Equals(teamId, ours, StringComparison.Ordinal)) return true;
        logger.LogWarning("Slack request from another workspace refused");
        return false;
    }
}
