using Bot.Integrations.Slack.BlockKit;

namespace Bot.Integrations.Slack;

/// <summary>
/// A message as Slack takes it: mrkdwn fallback text plus Block Kit blocks. Made from the neutral
/// <see cref="Bot.Workflows.Messages.ChatMessage"/> by <see cref="MessageRenderer"/>.
/// </summary>
public sealed record SlackMessage
{
    /// <summary>The notification text (mrkdwn, escaped), and what a client without Block Kit shows.</summary>
    public required string Text { get; init; }
    public IReadOnlyList<Block> Blocks { get; init; } = [];
    /// <summary>Ephemeral replies are seen only by the person who asked.</summary>
    public bool Ephemeral { get; init; } = true;
    /// <summary>For replies to a button click: replace the message that held the button.</summary>
    public bool ReplaceOriginal { get; init; }
}
