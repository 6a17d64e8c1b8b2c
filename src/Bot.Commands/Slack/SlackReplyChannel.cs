using Bot.Commands.Routing;
using Bot.Commands.Slack.BlockKit;
using Bot.Commands.Slack.WebApi;

namespace Bot.Commands.Slack;

/// <summary>
/// Where a Slack request's answers go: <see cref="RespondAsync"/> to the request's <c>response_url</c>
/// (or <c>chat.postEphemeral</c> / <c>chat.postMessage</c> when there is none), posts and edits with the
/// bot token in the request's channel, files through the external upload flow.
/// </summary>
public sealed class SlackReplyChannel(
    SlackWebApiClient api,
    SlackResponseUrlClient responseUrls,
    string channelId,
    string userId,
    string? responseUrl,
    string? triggerId = null) : IReplyChannel
{
    public async Task RespondAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(responseUrl))
        {
            await responseUrls.PostAsync(responseUrl, message, cancellationToken);
            return;
        }
        // Without a channel (a modal submitted outside one) the answer goes to the person's DM with the bot.
        if (message.Ephemeral && channelId != userId)
            await api.PostEphemeralAsync(channelId, userId, message.Text, message.Blocks, threadTs: null, cancellationToken);
        else
            await api.PostMessageAsync(channelId, message.Text, message.Blocks, threadTs: null, cancellationToken);
    }

    public Task<PostedMessage> PostAsync(ChatMessage message, string? threadTs, CancellationToken cancellationToken) =>
        api.PostMessageAsync(channelId, message.Text, message.Blocks, threadTs, cancellationToken);

    public Task UpdateAsync(PostedMessage target, ChatMessage message, CancellationToken cancellationToken) =>
        api.UpdateMessageAsync(target.Channel, target.Ts, message.Text, message.Blocks, cancellationToken);

    public async Task<bool> OpenModalAsync(ModalView view, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(triggerId)) return false;
        await api.OpenViewAsync(triggerId, view, cancellationToken);
        return true;
    }

    public Task UploadFileAsync(ChatFile file, string? threadTs, CancellationToken cancellationToken) =>
        api.UploadFileAsync(channelId, file.FileName, file.Title, file.Content, file.InitialComment, threadTs, cancellationToken);
}

/// <summary>Makes a <see cref="SlackReplyChannel"/> for one request.</summary>
public sealed class SlackReplyChannelFactory(SlackWebApiClient api, SlackResponseUrlClient responseUrls)
{
    /// <summary>A reply channel for a request in <paramref name="channelId"/>, or the user's DM with the bot when there is no channel.</summary>
    public IReplyChannel Create(string? channelId, string userId, string? responseUrl, string? triggerId = null) =>
        new SlackReplyChannel(api, responseUrls, string.IsNullOrEmpty(channelId) ? userId : channelId, userId, responseUrl, triggerId);
}
