using Bot.Integrations.Slack.BlockKit;

namespace Bot.Integrations.Slack;

/// <summary>What a handler answers: fallback text plus optional Block Kit blocks.</summary>
public sealed record ChatMessage
{
    /// <summary>Plain text: the notification text, and what a client without Block Kit shows.</summary>
    public required string Text { get; init; }
    public IReadOnlyList<Block> Blocks { get; init; } = [];
    /// <summary>Ephemeral replies are seen only by the person who asked.</summary>
    public bool Ephemeral { get; init; } = true;
    /// <summary>For replies to a button click: replace the message that held the button.</summary>
    public bool ReplaceOriginal { get; init; }

    public static ChatMessage EphemeralText(string text) => new() { Text = text, Ephemeral = true };
    public static ChatMessage InChannel(string text, IReadOnlyList<Block>? blocks = null) =>
        new() { Text = text, Blocks = blocks ?? [], Ephemeral = false };
}

/// <summary>A file to upload into a conversation (a chart, a CSV export).</summary>
public sealed record ChatFile(string FileName, string Title, byte[] Content, string? InitialComment = null);

/// <summary>A message the bot posted, so it can be threaded under or edited later.</summary>
public sealed record PostedMessage(string Channel, string Ts);
