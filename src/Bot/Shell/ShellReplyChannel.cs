using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Workflows.Messages;

namespace Bot.Shell;

/// <summary>Answers to one shell request, printed: replies, posts, edits, and files saved to disk.</summary>
public sealed class ShellReplyChannel(ShellTerminal terminal, string channelId) : IReplyChannel
{
    public Task RespondAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        var label = message.Ephemeral ? "sb (only you see this):" : $"sb in #{channelId}:";
        if (message.ReplaceOriginal) label = "sb (replaces the message you clicked):";
        terminal.Message(label, message, channelId, terminal.NextTs());
        return Task.CompletedTask;
    }

    public Task<PostedMessage> PostAsync(ChatMessage message, string? threadTs, CancellationToken cancellationToken)
    {
        var ts = terminal.NextTs();
        var label = threadTs is null ? $"sb in #{channelId} (message {ts}):" : $"sb in #{channelId}, thread {threadTs} (message {ts}):";
        terminal.Message(label, message, channelId, ts);
        return Task.FromResult(new PostedMessage(channelId, ts));
    }

    public Task UpdateAsync(PostedMessage target, ChatMessage message, CancellationToken cancellationToken)
    {
        terminal.Message($"sb edited message {target.Ts} in #{target.Channel}:", message, target.Channel, target.Ts);
        return Task.CompletedTask;
    }

    /// <summary>The shell has no forms: a button that asks for text takes it after the number (<c>click N text…</c>).</summary>
    public Task<bool> OpenFormAsync(Form form, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task UploadFileAsync(ChatFile file, string? threadTs, CancellationToken cancellationToken)
    {
        Uploaded(file.Title, file.InitialComment, terminal.SaveFile(file), threadTs);
        return Task.CompletedTask;
    }

    public Task UploadFileAsync(FileUpload file, string? threadTs, CancellationToken cancellationToken)
    {
        Uploaded(file.Title, file.InitialComment, terminal.SaveFile(file), threadTs);
        return Task.CompletedTask;
    }

    private void Uploaded(string title, Line? initialComment, string path, string? threadTs)
    {
        var where = threadTs is null ? $"#{channelId}" : $"#{channelId}, thread {threadTs}";
        terminal.Line($"sb uploaded \"{title}\" to {where}; saved as {path}");
        // The comment that goes with the file, shown as the shell shows messages (a mention by name, not Slack's <@U…>).
        if (initialComment is { } comment) terminal.Comment(comment);
        terminal.Line("");
    }
}
