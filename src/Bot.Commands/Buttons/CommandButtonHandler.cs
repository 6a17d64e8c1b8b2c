using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Workflows.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Commands.Buttons;

/// <summary>
/// A card's button that runs a <c>/sb</c> command (<see cref="Bot.Workflows.Messages.CardButton.Command"/>), e.g. the
/// diagnostics' "Request a rollback change". The command runs as the person who clicked, through the command router
/// with every check it has — the channel policy, roles, the two-person rule — exactly as if they had typed it.
/// </summary>
public sealed class CommandButtonHandler(IServiceProvider services, ILogger<CommandButtonHandler> logger) : IInteractionHandler
{
    public IReadOnlyCollection<string> Ids => CommandButtons.ActionIds;

    public async Task HandleAsync(InteractionRequest request, IReplyChannel reply, CancellationToken cancellationToken)
    {
        var command = request.Value?.Trim();
        if (string.IsNullOrEmpty(command) || command.Length > 1000 || command.Any(char.IsControl))
        {
            await reply.RespondAsync(ChatMessage.EphemeralText("That button carries no command I can run. Nothing was changed."), cancellationToken);
            return;
        }
        logger.LogInformation("{User} pressed a button that runs /sb {Verb}", request.User.UserId, command.Split(' ')[0]);
        await services.GetRequiredService<CommandRouter>().DispatchAsync(new CommandRequest
        {
            Command = CommandRouter.SlashCommand,
            Text = command,
            User = request.User,
            ChannelId = request.ChannelId ?? "",
            TeamId = request.TeamId,
            ResponseUrl = request.ResponseUrl,
            TriggerId = request.TriggerId,
            Transport = request.Transport,
            RequestId = "button:" + request.RequestId,
        }, reply, cancellationToken);
    }
}
