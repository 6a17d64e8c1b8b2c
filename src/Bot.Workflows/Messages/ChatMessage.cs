namespace Bot.Workflows.Messages;

/// <summary>
/// What a command answers (or a scheduled report posts): a text, optionally laid out in blocks, seen by the person who
/// asked only (ephemeral) or by the whole conversation. Transports render it: Block Kit in Slack, indented text in the
/// shell. Nothing here is Slack-specific; words from outside go in as text spans and each transport escapes them.
/// </summary>
public sealed record ChatMessage
{
    /// <summary>The text: the notification text, and what a client without rich messages shows (all of it when there are no blocks).</summary>
    public required Line Text { get; init; }

    /// <summary>The message laid out: headings, sections of text, small print, workflow cards. Empty for a plain text answer.</summary>
    public IReadOnlyList<MessageBlock> Blocks { get; init; } = [];

    /// <summary>Ephemeral replies are seen only by the person who asked.</summary>
    public bool Ephemeral { get; init; } = true;

    /// <summary>For replies to a button click: replace the message that held the button.</summary>
    public bool ReplaceOriginal { get; init; }

    /// <summary>A text only the person who asked sees.</summary>
    public static ChatMessage EphemeralText(Line text) => new() { Text = text, Ephemeral = true };

    /// <summary>A message everyone in the conversation sees.</summary>
    public static ChatMessage InChannel(Line text, IReadOnlyList<MessageBlock>? blocks = null) =>
        new() { Text = text, Blocks = blocks ?? [], Ephemeral = false };
}

/// <summary>A file to upload into a conversation (a chart, a CSV export), with an optional comment posted with it.</summary>
public sealed record ChatFile(string FileName, string Title, byte[] Content, Line? InitialComment = null);

/// <summary>A message the bot posted, so it can be threaded under or edited later.</summary>
public sealed record PostedMessage(string Channel, string Ts);
