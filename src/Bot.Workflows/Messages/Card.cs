namespace Bot.Workflows.Messages;

/// <summary>How a card looks at a glance (shown as an emoji, <see cref="CardTones.EmojiName"/>).</summary>
public enum CardTone { Info, Waiting, Working, Good, Warning, Bad }

public static class CardTones
{
    /// <summary>The emoji a card of this tone starts with, by its short name.</summary>
    public static string EmojiName(this CardTone tone) => tone switch
    {
        CardTone.Waiting => "hourglass_flowing_sand",
        CardTone.Working => "gear",
        CardTone.Good => "white_check_mark",
        CardTone.Warning => "warning",
        CardTone.Bad => "x",
        _ => "information_source",
    };
}

/// <summary>How a button looks: the default look, the primary action, or a dangerous one.</summary>
public enum ButtonStyle { Default, Primary, Danger }

/// <summary>A labelled value on a card ("Requested by", "Alias").</summary>
public sealed record CardField(string Label, Line Value);

/// <summary>
/// A button on a card. It fires <see cref="Trigger"/> (a trigger of the card's aggregate) as the person who clicks,
/// with the version of the card it sat on. <see cref="Confirm"/> asks "are you sure?" first (a courtesy: clients
/// that don't show it still go through every guard). <see cref="AskFor"/> asks for a line of text first (e.g. a
/// rejection reason), passed to the trigger as the argument <c>input</c>.
/// </summary>
public sealed record CardButton(string Label, string Trigger, ButtonStyle Style = ButtonStyle.Default, string? Confirm = null, string? AskFor = null)
{
    /// <summary>
    /// Instead of a trigger: a <c>/sb</c> command (without the <c>/sb</c>) that the button runs as the person who
    /// clicks, through the same checks as if they had typed it (e.g. <c>rollback user-management --incident Q1</c>).
    /// </summary>
    public string? Command { get; init; }

    /// <summary>A button that runs <paramref name="command"/> as the person who clicks.</summary>
    public static CardButton RunsCommand(string label, string command, ButtonStyle style = ButtonStyle.Default, string? confirm = null) =>
        new(label, "", style, confirm) { Command = command };
}

/// <summary>Which aggregate a card shows, and at which version: buttons carry it so a click on an older card is recognised.</summary>
public sealed record CardRef(string AggregateType, string AggregateId, long Version);

/// <summary>
/// How a workflow describes its message: a title, a status line, fields, details, a footer and buttons. The engine
/// posts it once and edits it in place after every transition; transports render it (Block Kit in Slack, text with
/// numbered buttons in the shell). Nothing here is Slack-specific.
/// </summary>
public sealed record Card
{
    public required string Title { get; init; }
    public CardTone Tone { get; init; } = CardTone.Info;
    public Line? Status { get; init; }
    public IReadOnlyList<CardField> Fields { get; init; } = [];
    /// <summary>Longer lines under the fields (e.g. a configuration diff, the playbook's steps).</summary>
    public IReadOnlyList<Line> Details { get; init; } = [];
    /// <summary>Small print under everything (expiry, ids).</summary>
    public IReadOnlyList<Line> Footer { get; init; } = [];
    public IReadOnlyList<CardButton> Buttons { get; init; } = [];
    /// <summary>Set by the engine when it saves the transition that produced the card.</summary>
    public CardRef? Ref { get; init; }

    /// <summary>The card as plain text: the notification text and what a client without rich messages shows.</summary>
    public string ToPlainText() => Status is { } status ? $"{Title}: {status.ToPlainText()}" : Title;
}

/// <summary>
/// What a workflow message says: a line of text, optionally a card. <see cref="AlsoToChannel"/> asks for a thread
/// reply to be shown in the channel too (escalations). <see cref="Chart"/> is an image to show with the text (Slack
/// uploads it with the text as its comment).
/// </summary>
public sealed record ChatContent(Line Text, Card? Card = null, bool AlsoToChannel = false)
{
    public Chart? Chart { get; init; }

    public static ChatContent Of(Card card) => new(card.ToPlainText(), card);

    /// <summary>Plain fallback text.</summary>
    public string ToPlainText() => Card?.ToPlainText() ?? Text.ToPlainText();
}
