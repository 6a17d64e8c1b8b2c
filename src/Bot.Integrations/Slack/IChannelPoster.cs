using Bot.Workflows.Messages;

namespace Bot.Integrations.Slack;

/// <summary>
/// Posts a message into a channel outside any request (scheduled reports). Slack implements it with
/// <c>chat.postMessage</c>; the shell prints.
/// </summary>
public interface IChannelPoster
{
    Task<PostedMessage> PostAsync(string channel, ChatMessage message, string? threadTs, CancellationToken cancellationToken);

    /// <summary>Uploads a file (a scheduled review's chart or document) into the channel, in a thread when given.</summary>
    Task UploadAsync(string channel, ChatFile file, string? threadTs, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This transport cannot upload files.");
}
