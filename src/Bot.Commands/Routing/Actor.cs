using System.Text.RegularExpressions;
using Bot.Commands.Slack;

namespace Bot.Commands.Routing;

/// <summary>The person acting: their Slack user id and a display name for messages.</summary>
public sealed partial record Actor(string UserId, string UserName)
{
    /// <summary>For a message: a Slack mention when the id is a Slack user id, else the escaped name.</summary>
    public string Mention => SlackUserId().IsMatch(UserId) ? $"<@{UserId}>" : $"@{SlackText.Escape(UserName)}";

    [GeneratedRegex("^[UW][A-Z0-9]{1,40}$")]
    private static partial Regex SlackUserId();
}
