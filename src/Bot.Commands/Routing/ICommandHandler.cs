using Bot.Workflows.Messages;

namespace Bot.Commands.Routing;

/// <summary>One <c>/sb</c> verb. Register with <c>services.AddCommand&lt;T&gt;()</c>.</summary>
public interface ICommandHandler
{
    CommandSpec Spec { get; }
    Task HandleAsync(CommandContext context, CancellationToken cancellationToken);
}

/// <summary>Everything a handler gets: the request, its parsed arguments, and where to answer.</summary>
public sealed class CommandContext(CommandRequest request, ParsedArguments arguments, IReplyChannel reply)
{
    public CommandRequest Request { get; } = request;
    public ParsedArguments Arguments { get; } = arguments;
    public IReplyChannel Reply { get; } = reply;
    public Actor User => Request.User;

    public Task RespondAsync(ChatMessage message, CancellationToken cancellationToken) =>
        Reply.RespondAsync(message, cancellationToken);

    public Task RespondEphemeralAsync(Line text, CancellationToken cancellationToken) =>
        Reply.RespondAsync(ChatMessage.EphemeralText(text), cancellationToken);
}
