using Bot.Commands.Routing;
using Bot.Workflows.Roles;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Access;

/// <summary><c>/sb whoami</c>: who the bot thinks you are and which roles you hold right now.</summary>
public sealed class WhoAmICommand(RoleGate roles) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "whoami",
        Summary = "Show your Slack id and the roles you hold (approver, tech-lead, ops-manager, security, responder, admin).",
        Usage = "/sb whoami",
        MaxPositionals = 0,
        Examples = ["/sb whoami"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var held = await roles.RolesOfAsync(context.Request, cancellationToken);
        var list = held.Count == 0 ? "no roles" : Line.Join(", ", Role.All.Where(held.Contains).Select(r => Line.Of(Code(r))));
        var shell = context.User.IsShellIdentity
            ? "\nYou are a shell user: your approvals count only against the sandbox account, never against production."
            : "";
        await context.RespondEphemeralAsync(Line.Of("You are ", Code(context.User.UserId), $" (@{context.User.UserName}) with ", list, $".{shell}"), cancellationToken);
    }
}
