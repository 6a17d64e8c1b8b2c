using Bot.Integrations.Charts;
using Bot.Integrations.Slack.WebApi;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;

namespace Bot.Integrations.Slack;

/// <summary>
/// The domain's <see cref="IChat"/> over <c>chat.postMessage</c> / <c>chat.update</c>: workflow messages and cards are
/// rendered to Block Kit (<see cref="CardRenderer"/>, text escaped). Failures come back in the port's terms so the
/// outbox can decide: a long 429 → <see cref="ChatRateLimitedException"/>, 5xx and timeouts → transient
/// <see cref="ChatDeliveryException"/>, Slack's <c>ok:false</c> → permanent one with Slack's error code.
/// Also posts scheduled reports (<see cref="IChannelPoster"/>).
/// </summary>
public sealed class SlackChat(SlackWebApiClient slack) : IChat, IChannelPoster
{
    public Task<string> PostAsync(string channel, ChatContent content, string? threadTs, CancellationToken cancellationToken) =>
        PostAsync(channel, content, threadTs, deliveryId: null, cancellationToken);

    public Task<string> PostAsync(string channel, ChatContent content, string? threadTs, string? deliveryId, CancellationToken cancellationToken)
    {
        if (content.Chart is { } chart && ChartImage.TryDraw(chart) is { } png)
        {
            // The text goes with the image as its comment; Slack answers with the file, not a message ts, so the
            // thread (or the file) stands for it: nothing threads under a chart or edits it. A file share carries no
            // metadata: the delivery id tags the file's name, where FindPostAsync looks for it.
            var comment = SlackMrkdwn.Render(content.Text);
            var fileName = deliveryId is null ? chart.FileName : SlackWebApiClient.TaggedFileName(chart.FileName, deliveryId);
            return Translate(async () =>
            {
                var file = await slack.UploadFileAsync(channel, fileName, chart.Title, png, comment, threadTs, cancellationToken);
                return threadTs ?? file;
            });
        }
        var (text, blocks) = CardRenderer.Render(content);
        return Translate(async () => (await slack.PostMessageJsonAsync(channel, text, SlackMessageLimits.ToJson(blocks), threadTs, cancellationToken,
            broadcast: content.AlsoToChannel && threadTs is not null, deliveryId: deliveryId)).Ts);
    }

    /// <summary>Uploads a scheduled report's file (<see cref="IChannelPoster"/>): <c>files.getUploadURLExternal</c> and <c>files.completeUploadExternal</c>.</summary>
    public Task UploadAsync(string channel, ChatFile file, string? threadTs, CancellationToken cancellationToken) =>
        Translate(() => slack.UploadFileAsync(channel, file.FileName, file.Title, file.Content, file.InitialComment is { } c ? SlackMrkdwn.Render(c) : null, threadTs, cancellationToken));

    /// <summary>
    /// Reads the channel's (or thread's) recent messages for the post tagged <paramref name="deliveryId"/>. When Slack
    /// refuses the read for good (e.g. the app lacks a history scope) it answers "not found", so delivery falls back to
    /// posting again rather than stopping.
    /// </summary>
    public async Task<string?> FindPostAsync(string channel, string deliveryId, string? threadTs, DateTimeOffset postedAfter, CancellationToken cancellationToken)
    {
        try
        {
            return await slack.FindPostAsync(channel, deliveryId, threadTs, postedAfter, cancellationToken);
        }
        catch (SlackRateLimitedException e)
        {
            throw new ChatRateLimitedException(e.RetryAfter);
        }
        catch (SlackApiException e) when (e.Transient)
        {
            throw new ChatDeliveryException(e.ErrorCode, transient: true, e);
        }
        catch (SlackApiException)
        {
            return null;
        }
    }

    public Task UpdateAsync(string channel, string ts, ChatContent content, CancellationToken cancellationToken)
    {
        var (text, blocks) = CardRenderer.Render(content);
        return Translate(async () => (await slack.UpdateMessageAsync(channel, ts, text, blocks, cancellationToken)).Ts);
    }

    public Task<PostedMessage> PostAsync(string channel, ChatMessage message, string? threadTs, CancellationToken cancellationToken)
    {
        var rendered = MessageRenderer.Render(message);
        return slack.PostMessageAsync(channel, rendered.Text, rendered.Blocks, threadTs, cancellationToken);
    }

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
