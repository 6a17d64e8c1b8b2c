using Bot.Commands.Routing;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;
using Bot.Workflows.Roles;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Access;

/// <summary>Checks a command's caller against roles at the moment they ask, through the directory (failing closed).</summary>
public sealed class RoleGate(IDirectory directory)
{
    public static WorkflowActor ActorOf(CommandRequest request) =>
        ActorOf(request.User);

    /// <summary>A person as the workflows see them: a shell identity never counts as a production approval.</summary>
    public static WorkflowActor ActorOf(Actor user) =>
        new(user.UserId, user.UserName, user.IsShellIdentity ? ActorKind.ShellUser : ActorKind.Person);

    /// <summary>The caller's roles; a <see cref="UserFacingException"/> when the directory cannot tell.</summary>
    public async Task<IReadOnlySet<string>> RolesOfAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await directory.RolesOfAsync(ActorOf(request), cancellationToken);
        }
        catch (DirectoryUnavailableException e)
        {
            throw new UserFacingException(Line.Of(Emoji("no_entry"), $" I could not check your roles ({e.Message}), so I did nothing. Try again in a minute."));
        }
    }

    /// <summary>Throws a <see cref="UserFacingException"/> naming the roles needed unless the caller holds one of <paramref name="anyOf"/>.</summary>
    public async Task RequireAnyAsync(CommandRequest request, IReadOnlyList<string> anyOf, string toDoWhat, CancellationToken cancellationToken)
    {
        var held = await RolesOfAsync(request, cancellationToken);
        if (anyOf.Any(held.Contains)) return;
        var needed = string.Join(" or ", anyOf.Select(Role.InWords));
        throw new UserFacingException(Line.Of(Emoji("no_entry"), $" To {toDoWhat} you need to be {needed}; you are not, so nothing was done. ", Code("/sb whoami"), " shows your roles."));
    }
}
