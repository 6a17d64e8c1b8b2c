namespace Bot.Commands.Routing;

/// <summary>The person acting: their Slack user id and a display name for messages.</summary>
public sealed record Actor(string UserId, string UserName)
{
    public string Mention => UserId.StartsWith('U') || UserId.StartsWith('W') ? $"<@{UserId}>" : $"@{UserName}";
}
