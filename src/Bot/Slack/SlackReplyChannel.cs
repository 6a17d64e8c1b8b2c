using System.Text;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Integrations.Slack.WebApi;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Logging;

namespace Bot.Slack;

/// <summary>
/// Where a Slack request's answers go, rendered to Block Kit (<see cref="MessageRenderer"/>, <see cref="FormRenderer"/>):
/// <see cref="RespondAsync"/> to the request's <c>response_url</c>
/// (or <c>chat.postEphemeral</c> / <c>chat.postMessage</c> when there is none), posts and edits with the
/// bot token in the request's channel, files through the external upload flow. The clients cut every
/// message to Slack's limits (<see cref="SlackMessageLimits"/>); an in-channel answer that had to be cut is
/// followed by its whole text as a file, in the posted message's thread when there is one.
/// </summary>
public sealed class SlackReplyChannel(
    SlackWebApiClient api,
    SlackResponseUrlClient responseUrls,
    string channelId,
    string userId,
    string? responseUrl,
    ILogger<SlackReplyChannel> logger,
    string? triggerId = null) : IReplyChannel
{
    public const string FullOutputFileName = "full-output.txt";

    public async Task RespondAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        var slack = MessageRenderer.Render(message);
        if (!string.IsNullOrEmpty(responseUrl))
        {
            await responseUrls.PostAsync(responseUrl, slack, cancellationToken);
            await SendWholeTextIfCutAsync(slack, null, cancellationToken);
            return;
        }
        // Without a channel (a modal submitted outside one) the answer goes to the person's DM with the bot.
        if (slack.Ephemeral && channelId != userId)
        {
            await api.PostEphemeralAsync(channelId, userId, slack.Text, slack.Blocks, threadTs: null, cancellationToken);
            return;
        }
        var posted = await api.PostMessageAsync(channelId, slack.Text, slack.Blocks, threadTs: null, cancellationToken);
        await SendWholeTextIfCutAsync(slack, posted.Ts, cancellationToken);
    }

    public async Task<PostedMessage> PostAsync(ChatMessage message, string? threadTs, CancellationToken cancellationToken)
    {
        var slack = MessageRenderer.Render(message);
        var posted = await api.PostMessageAsync(channelId, slack.Text, slack.Blocks, threadTs, cancellationToken);
        await SendWholeTextIfCutAsync(slack, threadTs ?? posted.Ts, cancellationToken);
        return posted;
    }

    public Task UpdateAsync(PostedMessage target, ChatMessage message, CancellationToken cancellationToken)
    {
        var slack = MessageRenderer.Render(message);
        return api.UpdateMessageAsync(target.Channel, target.Ts, slack.Text, slack.Blocks, cancellationToken);
    }

    public async Task<bool> OpenFormAsync(Form form, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(triggerId)) return false;
        await api.OpenViewAsync(triggerId, FormRenderer.Render(form), cancellationToken);
        return true;
    }

    public Task UploadFileAsync(ChatFile file, string? threadTs, CancellationToken cancellationToken) =>
        api.UploadFileAsync(channelId, file.FileName, file.Title, file.Content,
            file.InitialComment is { } comment ? SlackMrkdwn.Render(comment) : null, threadTs, cancellationToken);

    /// <summary>Streams the file from disk to Slack's upload URL (a seekable stream, so a retried upload sends it again whole).</summary>
    public async Task UploadFileAsync(FileUpload file, string? threadTs, CancellationToken cancellationToken)
    {
        await using var content = File.OpenRead(file.Path);
        await api.UploadFileAsync(channelId, file.FileName, file.Title, content,
            file.InitialComment is { } comment ? SlackMrkdwn.Render(comment) : null, threadTs, cancellationToken);
    }

    /// <summary>
    /// A message everyone in the channel sees, too long for Slack: the cut one is out, the whole text follows
    /// as a file. (An ephemeral answer cannot share a file privately; it keeps its "…".)
    /// </summary>
    private async Task SendWholeTextIfCutAsync(SlackMessage message, string? threadTs, CancellationToken cancellationToken)
    {
        if (message.Ephemeral || SlackMessageLimits.Fits(message)) return;
        try
        {
            await api.UploadFileAsync(channelId, FullOutputFileName, "Full output", Encoding.UTF8.GetBytes(SlackMessageLimits.FullText(message)),
                initialComment: null, threadTs, cancellationToken);
        }
        catch (SlackApiException e)
        {
            logger.LogWarning(e, "Could not upload the whole text of a message cut to Slack's limits");
        }
    }
}

/// <summary>Makes a <see cref="SlackReplyChannel"/> for one request.</summary>
public sealed class SlackReplyChannelFactory(SlackWebApiClient api, SlackResponseUrlClient responseUrls, ILogger<SlackReplyChannel> logger)
{
    /// <summary>A reply channel for a request in <paramref name="channelId"/>, or the user's DM with the bot when there is no channel.</summary>
    public IReplyChannel Create(string? channelId, string userId, string? responseUrl, string? triggerId = null) =>
        new SlackReplyChannel(api, responseUrls, string.IsNullOrEmpty(channelId) ? userId : channelId, userId, responseUrl, logger, triggerId);
}
