using Bot.Commands.Routing;
using Bot.Commands.Slack.WebApi;

namespace Bot.Slack;

/// <summary>
/// Events API deliveries. Each <c>event_id</c> is acted on once (Slack retries when our ack is late);
/// an <c>app_mention</c> gets a pointer to <c>/sb help</c> in a thread, other events are logged.
/// </summary>
public sealed class SlackEventHandler(SlackReplayGuard replays, SlackWebApiClient slack, ILogger<SlackEventHandler> logger)
{
    public Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken) =>
        replays.RunOnceAsync(SlackReplayGuard.EventKey(envelope.EventId!), async () =>
        {
            var outcome = envelope.EventType switch
            {
                "app_mention" => await AnswerMentionAsync(envelope, cancellationToken),
                _ => "ignored",
            };
            logger.LogInformation("Slack event {EventId} ({Type}): {Outcome}", envelope.EventId, envelope.EventType, outcome);
            return outcome;
        }, cancellationToken);

    private async Task<string> AnswerMentionAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var channel = SlackPayloads.Str(envelope.Event, "channel");
        var user = SlackPayloads.Str(envelope.Event, "user");
        var ts = SlackPayloads.Str(envelope.Event, "thread_ts") ?? SlackPayloads.Str(envelope.Event, "ts");
        if (channel is null || user is null || SlackPayloads.Str(envelope.Event, "bot_id") is not null) return "ignored";

        await slack.PostMessageAsync(channel,
            $"Hi {new Actor(user, "there").Mention}! I take commands as `{CommandRouter.SlashCommand} …`; `{CommandRouter.SlashCommand} help` lists them.",
            blocks: null, threadTs: ts, cancellationToken);
        return "answered";
    }
}
