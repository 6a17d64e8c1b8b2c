namespace Bot.Slack;

/// <summary>The Slack request URLs (the app manifest points at these).</summary>
public static class SlackRoutes
{
    public const string Prefix = "/slack";
    public const string Commands = "/slack/commands";
    public const string Interactions = "/slack/interactions";
    public const string Events = "/slack/events";
}
