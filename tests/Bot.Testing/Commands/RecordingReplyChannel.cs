using System.Collections.Concurrent;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;

namespace Bot.Testing.Commands;

/// <summary>An <see cref="IReplyChannel"/> that records what a handler sent, for unit tests of one handler (every test project folder uses this one).</summary>
public sealed class RecordingReplyChannel : IReplyChannel
{
    private int _ts;
    public ConcurrentQueue<ChatMessage> Responses { get; } = new();
    public ConcurrentQueue<(ChatMessage Message, string? ThreadTs, string Ts)> Posts { get; } = new();
    public ConcurrentQueue<(ChatFile File, string? ThreadTs)> Uploads { get; } = new();
    public bool FailPosts { get; set; }

    public Task RespondAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        Responses.Enqueue(message);
        return Task.CompletedTask;
    }

    public Task<PostedMessage> PostAsync(ChatMessage message, string? threadTs, CancellationToken cancellationToken)
    {
        if (FailPosts) throw new InvalidOperationException("not_in_channel");
        var ts = $"1700000000.{Interlocked.Increment(ref _ts):D6}";
        Posts.Enqueue((message, threadTs, ts));
        return Task.FromResult(new PostedMessage("C-OPS", ts));
    }

    public ConcurrentQueue<(PostedMessage Target, ChatMessage Message)> Updates { get; } = new();

    public Task UpdateAsync(PostedMessage target, ChatMessage message, CancellationToken cancellationToken)
    {
        Updates.Enqueue((target, message));
        return Task.CompletedTask;
    }

    public ConcurrentQueue<Form> Forms { get; } = new();
    /// <summary>Whether this channel can open forms (Slack can, with a trigger id; the shell cannot).</summary>
    public bool CanOpenForms { get; set; } = true;

    public Task<bool> OpenFormAsync(Form form, CancellationToken cancellationToken)
    {
        if (!CanOpenForms) return Task.FromResult(false);
        Forms.Enqueue(form);
        return Task.FromResult(true);
    }

    public Task UploadFileAsync(ChatFile file, string? threadTs, CancellationToken cancellationToken)
    {
        Uploads.Enqueue((file, threadTs));
        return Task.CompletedTask;
    }
}

public static class CommandContexts
{
    public static CommandContext For(ICommandHandler handler, string argumentText, RecordingReplyChannel reply)
    {
        var request = new CommandRequest
        {
            Command = "/sb",
            Text = $"{handler.Spec.Verb} {argumentText}".Trim(),
            User = new Actor("U123", "alice"),
            ChannelId = "C-OPS",
            Transport = Transport.Slack,
        };
        var args = ParsedArguments.Parse(CommandTokenizer.Tokenize(argumentText), handler.Spec);
        return new CommandContext(request, args, reply);
    }
}
