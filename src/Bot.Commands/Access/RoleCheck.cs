using Bot.Commands.Routing;
using Bot.Workflows.Messages;

namespace Bot.Commands.Access;

/// <summary>
/// The step of the command pipeline that holds a verb to the roles its spec names (<see cref="CommandSpec.Roles"/>):
/// read at the moment of the request through the directory, failing closed. A refusal names the roles needed and
/// changes nothing. Verbs whose roles depend on what they are asked (e.g. <c>/sb audit export</c>) ask the
/// <see cref="RoleGate"/> themselves.
/// </summary>
public sealed class RoleCheck(RoleGate roles) : ICommandMiddleware
{
    public async Task<string> InvokeAsync(CommandTurn turn, IReplyChannel? reply, Func<Task<string>> next, CancellationToken cancellationToken)
    {
        if (turn.Answer is not null || turn.Handler?.Spec is not { Roles.Count: > 0 } spec) return await next();
        try
        {
            await roles.RequireAnyAsync(turn.Request, spec.Roles, spec.RolesNeededTo ?? $"run `{CommandRouter.SlashCommand} {spec.Verb}`", cancellationToken);
        }
        catch (UserFacingException refusal)
        {
            if (reply is not null) await reply.RespondAsync(ChatMessage.EphemeralText(refusal.Text), cancellationToken);
            return CommandOutcome.Refused;
        }
        return await next();
    }
}
