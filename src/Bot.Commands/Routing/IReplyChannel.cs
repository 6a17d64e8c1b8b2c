using Bot.Workflows.Messages;

namespace Bot.Commands.Routing;

/// <summary>
/// Where a handler's answers go, in the neutral message model (<see cref="ChatMessage"/>, <see cref="Form"/>). Slack
/// implements it with response_url and the Web API, rendering Block Kit; the shell prints text. Handlers never know
/// which one they talk to.
/// </summary>
public interface IReplyChannel
{
    /// <summary>Answer the person who asked (Slack: <c>response_url</c>), ephemeral or in channel.</summary>
    Task RespondAsync(ChatMessage message, CancellationToken cancellationToken);

    /// <summary>Post a message into the conversation (optionally in a thread) and get a handle to it.</summary>
    Task<PostedMessage> PostAsync(ChatMessage message, string? threadTs, CancellationToken cancellationToken);

    /// <summary>Edit a message posted earlier.</summary>
    Task UpdateAsync(PostedMessage target, ChatMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a form for the person who clicked (Slack: a modal through <c>views.open</c> with the click's
    /// <c>trigger_id</c>, which is valid for 3 s). False when this transport has no forms or the request had no trigger id.
    /// </summary>
    Task<bool> OpenFormAsync(Form form, CancellationToken cancellationToken);

    /// <summary>Upload a file into the conversation, in a thread when <paramref name="threadTs"/> is given.</summary>
    Task UploadFileAsync(ChatFile file, string? threadTs, CancellationToken cancellationToken);

    /// <summary>
    /// Upload a file that is on disk (a large export), streamed where the transport can: its content is never held in
    /// memory whole. Transports that cannot stream read it and upload it as a <see cref="ChatFile"/>.
    /// </summary>
    async Task UploadFileAsync(FileUpload file, string? threadTs, CancellationToken cancellationToken) =>
        await UploadFileAsync(new ChatFile(file.FileName, file.Title, await File.ReadAllBytesAsync(file.Path, cancellationToken), file.InitialComment), threadTs, cancellationToken);
}

/// <summary>A file on disk to upload: its name in the conversation, title, where it is, and the comment that goes with it.</summary>
public sealed record FileUpload(string FileName, string Title, string Path, Line? InitialComment = null);
