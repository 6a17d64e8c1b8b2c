using Bot.Workflows.Messages;

namespace Bot.Commands.Routing;

/// <summary>The person acting: their Slack user id and a display name for messages.</summary>
public sealed record Actor(string UserId, string UserName)
{
    /// <summary>
    /// True for someone the local shell plays (its default user and whoever <c>as NAME</c> switches to). Only
    /// <see cref="ShellUser"/> sets it, and no Slack parser calls that, so Slack input can never produce it. A
    /// shell identity is not a person Slack vouched for: it must never count as an approval of a production
    /// change. Record equality includes it, so a shell <c>bob</c> never equals a Slack user with the same id.
    /// </summary>
    public bool IsShellIdentity { get; private init; }

    /// <summary>An identity made up by the local shell (see <see cref="IsShellIdentity"/>).</summary>
    public static Actor ShellUser(string userId, string userName) => new(userId, userName) { IsShellIdentity = true };

    /// <summary>For a message: the person as a mention (a transport shows <c>@name</c> when it cannot mention them).</summary>
    public UserSpan Mention => new(UserId, UserName);
}
