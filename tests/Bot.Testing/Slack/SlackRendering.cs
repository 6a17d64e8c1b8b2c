using Bot.Integrations.Slack;
using Bot.Workflows.Messages;

namespace Bot.Testing.Slack;

/// <summary>The neutral message model as the Slack adapter renders it, for tests that check what Slack receives.</summary>
public static class SlackRendering
{
    /// <summary>The message as Slack gets it: mrkdwn text and Block Kit blocks.</summary>
    public static SlackMessage AsSlack(this ChatMessage message) => MessageRenderer.Render(message);

    /// <summary>The line as Slack mrkdwn (escaped).</summary>
    public static string AsMrkdwn(this Line line) => SlackMrkdwn.Render(line);
}
