using System.Text.RegularExpressions;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;

namespace Bot.Commands.Routing;

/// <summary>The person acting: their Slack user id and a display name for messages.</summary>
public sealed partial record Actor(string UserId, string UserName)
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

    /// <summary>For a message: a Slack mention when the id is a Slack user id, else the escaped name.</summary>
    public string Mention => SlackUserId().IsMatch(UserId) ? $"<@{UserId}>" : $"@{SlackText.Escape(UserName)}";

    [GeneratedRegex("^[UW][A-Z0-9]{1,40}$")]
    private static partial Regex SlackUserId();
}
