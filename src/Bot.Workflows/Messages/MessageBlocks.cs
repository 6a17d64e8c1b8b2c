namespace Bot.Workflows.Messages;

/// <summary>One part of a <see cref="ChatMessage"/>'s layout. Transports render each kind their own way.</summary>
public abstract record MessageBlock;

/// <summary>A title over the message, in plain words (no spans).</summary>
public sealed record HeadingBlock(string Text) : MessageBlock;

/// <summary>
/// A section of text. <see cref="MaxLength"/>, when set, is how long the rendered section may grow before it is cut
/// with "…" (in the transport's own characters: Slack counts its markup).
/// </summary>
public sealed record TextBlock(Line Text) : MessageBlock
{
    public int? MaxLength { get; init; }
}

/// <summary>
/// Lines that may not fit one section (a long list): a transport with a limit per section spreads them over as many
/// sections as they need, whole lines each.
/// </summary>
public sealed record LinesBlock(IReadOnlyList<Line> Lines) : MessageBlock;

/// <summary>Small print under the message (when it was checked, how to narrow a search).</summary>
public sealed record NoteBlock(Line Text) : MessageBlock;

/// <summary>A workflow's card, drawn as everywhere else (its buttons work when it carries a <see cref="Card.Ref"/>).</summary>
public sealed record CardBlock(Card Card) : MessageBlock;
