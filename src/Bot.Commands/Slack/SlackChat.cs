using Bot.Commands.Cloud.Charts;
using Bot.Commands.Routing;
using Bot.Commands.Slack.WebApi;
using Bot.Commands.Workflows;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;

namespace Bot.Commands.Slack;

/// <summary>
/// The domain's <see cref="IChat"/> over <c>chat.postMessage</c> / <c>chat.update</c>: workflow messages and cards are
/// rendered to Block Kit (<see cref="CardRenderer"/>, text escaped). Failures come back in the port's terms so the
/// outbox can decide: a long 429 → <see cref="ChatRateLimitedException"/>, 5xx and timeouts → transient
/// <see cref="ChatDeliveryException"/>, Slack's <c>ok:false</c> → permanent one with Slack's error code.
/// Also posts scheduled reports (<see cref="IChannelPoster"/>).
/// </summary>
public sealed class SlackChat(SlackWebApiClient slack) : IChat, IChannelPoster
{
    public Task<string> PostAsync(string channel, ChatContent content, string? threadTs, CancellationToken cancellationToken)
    {
        if (content.Chart is { } chart && ChartImage.TryDraw(chart) is { } png)
        {
            // The text goes with the image as its comment; Slack answers with the file, not a message ts, so the
            // thread (or the file) stands for it: nothing threads under a chart or edits it.
            var comment = SlackMrkdwn.Render(content.Text);
            return Translate(async () =>
            {
                var file = await slack.UploadFileAsync(channel, chart.FileName, chart.Title, png, comment, threadTs, cancellationToken);
                return threadTs ?? file;
            });
        }
        var (text, blocks) = CardRenderer.Render(content);
        return Translate(async () => (await slack.PostMessageAsync(channel, text, blocks, threadTs, cancellationToken, broadcast: content.AlsoToChannel && threadTs is not null)).Ts);
    }

    public Task UpdateAsync(string channel, string ts, ChatContent content, CancellationToken cancellationToken)
    {
        var (text, blocks) = CardRenderer.Render(content);
        return Translate(async () => (await slack.UpdateMessageAsync(channel, ts, text, blocks, cancellationToken)).Ts);
    }

    public Task<PostedMessage> PostAsync(string channel, ChatMessage message, string? threadTs, CancellationToken cancellationToken) =>
        slack.PostMessageAsync(channel, message.Text, message.Blocks, threadTs, cancellationToken);

    private static async Task<string> Translate(Func<Task<string>> call)
    {
        try
        {
            return await call();
        }
        catch (SlackRateLimitedException e)
        {
            throw new ChatRateLimitedException(e.RetryAfter);
        }
        catch (SlackApiException e)
        {
            throw new ChatDeliveryException(e.ErrorCode, e.Transient, e);
        }
    }
}
