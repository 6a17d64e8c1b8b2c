using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack.AppHome;
using Bot.Integrations.Slack.WebApi;

namespace Bot.Slack;

/// <summary>
/// Events API deliveries. Each <c>event_id</c> is acted on once (Slack retries when our ack is late);
/// an <c>app_mention</c> gets a pointer to <c>/sb help</c> in a thread, <c>app_home_opened</c> (the Home tab) publishes
/// that person's App Home, other events are logged.
/// </summary>
public sealed class SlackEventHandler(SlackReplayGuard replays, SlackWebApiClient slack, AppHomeService home, AppHomeViewers viewers,
    ILogger<SlackEventHandler> logger)
{
    /// <summary>The event types acted on: the app manifest subscribes to exactly these.</summary>
    public static readonly IReadOnlyList<string> HandledEvents = ["app_mention", "app_home_opened"];

    public Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken) =>
        replays.RunOnceAsync(SlackReplayGuard.EventKey(envelope.EventId!), async () =>
        {
            var outcome = envelope.EventType switch
            {
                "app_mention" => await AnswerMentionAsync(envelope, cancellationToken),
                "app_home_opened" => await PublishHomeAsync(envelope, cancellationToken),
                _ => "ignored",
            };
            logger.LogInformation("Slack event {EventId} ({Type}): {Outcome}", envelope.EventId, envelope.EventType, outcome);
            return outcome;
        }, cancellationToken);

    private async Task<string> PublishHomeAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        if (SlackPayloads.Str(envelope.Event, "tab") != "home" || SlackPayloads.Str(envelope.Event, "user") is not { } user) return "ignored";
        viewers.Opened(user);
        await home.PublishAsync(user, cancellationToken);
        return "published";
    }

    private async Task<string> AnswerMentionAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var channel = SlackPayloads.Str(envelope.Event, "channel");
        var user = SlackPayloads.Str(envelope.Event, "user");
        var ts = SlackPayloads.Str(envelope.Event, "thread_ts") ?? SlackPayloads.Str(envelope.Event, "ts");
        if (channel is null || user is null || SlackPayloads.Str(envelope.Event, "bot_id") is not null) return "ignored";

        await slack.PostMessageAsync(channel,
            $"Hi {SlackMrkdwn.Render(new Actor(user, "there").Mention)}! I take commands as `{CommandRouter.SlashCommand} …`; `{CommandRouter.SlashCommand} help` lists them.",
            blocks: null, threadTs: ts, cancellationToken);
        return "answered";
    }
}
