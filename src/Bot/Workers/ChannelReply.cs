using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Workflows.Messages;

namespace Bot.Workers;

/// <summary>
/// What a scheduled job says goes to one channel (the ops channel) through the transport's <see cref="IChannelPoster"/>: answers
/// and posts are posted there, files uploaded there; there is nobody to open a form for, and nothing scheduled edits a post.
/// </summary>
public sealed class ChannelReply(IChannelPoster chat, string channel) : IReplyChannel
{
    public Task RespondAsync(ChatMessage message, CancellationToken cancellationToken) => chat.PostAsync(channel, message with { Ephemeral = false }, null, cancellationToken);

    public Task<PostedMessage> PostAsync(ChatMessage message, string? threadTs, CancellationToken cancellationToken) => chat.PostAsync(channel, message, threadTs, cancellationToken);

    public Task UpdateAsync(PostedMessage target, ChatMessage message, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> OpenFormAsync(Form form, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task UploadFileAsync(ChatFile file, string? threadTs, CancellationToken cancellationToken) => chat.UploadAsync(channel, file, threadTs, cancellationToken);
}
