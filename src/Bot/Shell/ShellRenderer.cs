using System.Text;
using Bot.Integrations.Slack;
using Bot.Workflows.Messages;

namespace Bot.Shell;

/// <summary>A button the shell shows: its label, and what a click sends to the interaction router.</summary>
public sealed record ShellButtonAction(string Label, string ActionId, string Value, string BlockId);

/// <summary>
/// Renders the neutral message model as terminal text, laid out as Slack lays it out: headings underlined, sections as
/// indented text, small print dimmed (when ANSI is allowed), cards with their fields and numbered buttons
/// (<c>[1] Approve (primary)</c>). Spans show as the characters Slack's markup uses (<c>*bold*</c>, <c>`code`</c>,
/// <c>:emoji:</c>), mentions as <c>@name</c>, links as <c>label (url)</c>; control characters never reach the terminal.
/// </summary>
public sealed class ShellRenderer(bool ansi, Func<string, string?> userName, Func<ShellButtonAction, int> numberButton)
{
    /// <summary>A command's answer: its text when it has no blocks, else its blocks.</summary>
    public string Render(ChatMessage message)
    {
        var output = new StringBuilder();
        if (message.Blocks.Count == 0) AppendIndented(output, Text(message.Text));
        foreach (var block in message.Blocks) Render(output, block);
        return output.ToString();
    }

    /// <summary>A workflow's message: its card when it has one, else its text.</summary>
    public string Render(ChatContent content)
    {
        var output = new StringBuilder();
        if (content.Card is { } card) Render(output, card);
        else AppendIndented(output, Text(content.Text));
        return output.ToString();
    }

    /// <summary>A line as terminal text.</summary>
    public string Text(Line line)
    {
        var text = new StringBuilder();
        foreach (var span in line.Spans) text.Append(Text(span));
        return StripControl(text.ToString());
    }

    private string Text(Span span) => span switch
    {
        TextSpan t => t.Text,
        CodeSpan { Verbatim: true } c => "`" + c.Text.Replace('`', SlackText.BacktickStandIn) + "`",
        CodeSpan c => c.Text.Length == 0 ? "" : "`" + c.Text.Replace('`', SlackText.BacktickStandIn) + "`",
        StrongSpan s => Around(s.Text, '*', '∗'),
        EmphasisSpan e => Around(e.Text, '_', '_'),
        UserSpan u when SlackMrkdwn.IsUserId(u.UserId) => "@" + (userName(u.UserId) ?? u.UserId),
        UserSpan u => "@" + u.Name,
        // What the shell has always shown for a group it can mention.
        GroupSpan g when SlackMrkdwn.IsGroupId(g.GroupId) => "@subteam",
        GroupSpan g => "@" + g.Name,
        LinkSpan l when SlackMrkdwn.LinkUrl(l.Url) is { } url => $"{l.Label.Replace('|', '¦')} ({url})",
        EmojiSpan e => $":{e.Name}:",
        PreformattedSpan p => "```\n" + p.Text.Replace("```", "ˋˋˋ", StringComparison.Ordinal) + "\n```",
        _ => span.Plain,
    };

    private void Render(StringBuilder output, MessageBlock block)
    {
        switch (block)
        {
            case HeadingBlock heading:
                var title = StripControl(heading.Text);
                if (ansi) output.Append("  \u001b[1;4m").Append(title).AppendLine("\u001b[0m");
                else output.Append("  ").AppendLine(title).Append("  ").AppendLine(new string('=', Math.Max(3, title.Length)));
                break;
            case TextBlock text:
                var shown = Text(text.Text);
                AppendIndented(output, text.MaxLength is { } max && shown.Length > max ? shown[..max] + "…" : shown);
                break;
            case LinesBlock lines:
                AppendIndented(output, string.Join('\n', lines.Lines.Select(Text)));
                break;
            case NoteBlock note:
                AppendNote(output, [Text(note.Text)]);
                break;
            case CardBlock card:
                Render(output, card.Card);
                break;
            default:
                AppendIndented(output, $"[{block.GetType().Name}]");
                break;
        }
    }

    /// <summary>A card as Slack shows it (<see cref="CardRenderer"/>): title and status, fields, details, footer, buttons.</summary>
    private void Render(StringBuilder output, Card card)
    {
        var status = card.Status is { } line ? "\n" + Text(line) : "";
        AppendIndented(output, Bound(StripControl($":{card.Tone.EmojiName()}: *{card.Title}*") + status, CardRenderer.MaxSectionText));
        foreach (var field in card.Fields) AppendIndented(output, "• " + Bound(StripControl($"*{field.Label}*\n") + Text(field.Value), 2000));
        if (card.Details.Count > 0) AppendIndented(output, Bound(string.Join("\n", card.Details.Select(Text)), CardRenderer.MaxSectionText));
        if (card.Footer.Count > 0) AppendNote(output, card.Footer.Take(10).Select(l => Bound(Text(l), 2000)).ToList());
        var actions = CardActions.Of(card);
        if (actions.Count == 0) return;
        var blockId = CardActions.BlockId(card);
        AppendIndented(output, string.Join("   ", actions.Select(a =>
            ButtonLabel(a.Button, numberButton(new ShellButtonAction(a.Button.Label, a.ActionId, a.Value, blockId))))));
    }

    private string ButtonLabel(CardButton button, int number)
    {
        var label = $"[{number}] {StripControl(button.Label)}";
        if (button.Style != ButtonStyle.Default) label += $" ({button.Style.ToString().ToLowerInvariant()})";
        if (button.Confirm is not null) label += " (asks to confirm)";
        if (!ansi) return label;
        return button.Style switch
        {
            ButtonStyle.Primary => $"\u001b[32m{label}\u001b[0m",
            ButtonStyle.Danger => $"\u001b[31m{label}\u001b[0m",
            _ => $"\u001b[1m{label}\u001b[0m",
        };
    }

    private void AppendNote(StringBuilder output, IReadOnlyList<string> items)
    {
        var line = string.Join("  ·  ", items);
        AppendIndented(output, ansi ? $"\u001b[2m{line}\u001b[0m" : line);
    }

    /// <summary>
    /// <paramref name="text"/> between two <paramref name="mark"/>s, its surrounding spaces outside them, as Slack's
    /// renderer writes it (<see cref="SlackMrkdwn"/>).
    /// </summary>
    private static string Around(string text, char mark, char standIn)
    {
        var core = text.Trim();
        if (core.Length == 0) return text;
        var lead = text[..text.IndexOf(core, StringComparison.Ordinal)];
        return lead + mark + core.Replace(mark, standIn) + mark + text[(lead.Length + core.Length)..];
    }

    /// <summary>At most <paramref name="max"/> characters, as a card's section in Slack (here counted in the terminal's characters).</summary>
    private static string Bound(string text, int max) => text.Length > max ? text[..(max - 1)] + "…" : text;

    // Text from handlers can carry anything; never let it drive the terminal.
    private static string StripControl(string text) =>
        text.Any(c => char.IsControl(c) && c != '\n' && c != '\t') ? new string(text.Where(c => !char.IsControl(c) || c == '\n' || c == '\t').ToArray()) : text;

    private static void AppendIndented(StringBuilder output, string text)
    {
        foreach (var line in text.TrimEnd('\n').Split('\n')) output.Append("  ").AppendLine(line.TrimEnd('\r'));
    }
}
