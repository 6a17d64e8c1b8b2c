using Bot.Integrations;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Logging;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Routing;

/// <summary>Routes an interaction by its id to the handler that owns it; never throws to the caller.</summary>
public sealed class InteractionRouter
{
    private readonly Dictionary<string, IInteractionHandler> _handlers = new(StringComparer.Ordinal);
    private readonly ILogger<InteractionRouter> _logger;

    public InteractionRouter(IEnumerable<IInteractionHandler> handlers, ILogger<InteractionRouter> logger)
    {
        _logger = logger;
        foreach (var handler in handlers)
            foreach (var id in handler.Ids)
            {
                if (!_handlers.TryAdd(id, handler))
                    throw new InvalidOperationException($"Two handlers claim the interaction id '{id}'.");
            }
    }

    public IReadOnlyCollection<string> Ids => _handlers.Keys;

    public bool Handles(string id) => _handlers.ContainsKey(id);

    public async Task DispatchAsync(InteractionRequest request, IReplyChannel reply, CancellationToken cancellationToken)
    {
        try
        {
            if (!_handlers.TryGetValue(request.Id, out var handler))
            {
                await reply.RespondAsync(ChatMessage.EphemeralText("That button or form is no longer handled by this bot. Run the command again for a fresh one."), cancellationToken);
                return;
            }
            await handler.HandleAsync(request, reply, cancellationToken);
        }
        catch (Exception e) when (e is UserFacingException or IntegrationException)
        {
            await TryRespond(reply, CommandRouter.TextOf(e), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            var errorId = Guid.NewGuid().ToString("N")[..8];
            _logger.LogError(e, "Interaction {Id} from {User} failed (error id {ErrorId})", request.Id, request.User.UserId, errorId);
            await TryRespond(reply, Line.Of(Emoji("x"), " Something went wrong handling that click (error id ", Code(errorId),
                "). Try again; if it keeps failing give the error id to whoever runs the bot."), cancellationToken);
        }
    }

    private async Task TryRespond(IReplyChannel reply, Line text, CancellationToken cancellationToken)
    {
        try
        {
            await reply.RespondAsync(ChatMessage.EphemeralText(text), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Could not deliver an error reply");
        }
    }
}
