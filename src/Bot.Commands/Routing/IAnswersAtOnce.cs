using Bot.Workflows.Messages;

namespace Bot.Commands.Routing;

/// <summary>
/// A handler whose answer is ready at once: computed from the request alone, with no I/O and no side effect (e.g.
/// <c>/sb help</c>). A transport that can answer in its acknowledgement (Slack's slash command response, as Bolt's
/// <c>ack({text})</c>) puts this answer there instead of making a second HTTP call.
/// </summary>
public interface IAnswersAtOnce
{
    /// <summary>The answer; throw <see cref="UsageException"/> for bad arguments, as <see cref="ICommandHandler.HandleAsync"/> would.</summary>
    ChatMessage Answer(CommandRequest request, ParsedArguments arguments);
}
