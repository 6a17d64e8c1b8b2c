using System.Text;
using System.Text.RegularExpressions;
using Bot.Integrations.Slack.BlockKit;

namespace Bot.Shell;

/// <summary>A button being rendered, with the block it sits in.</summary>
public sealed record RenderedButton(ButtonElement Element, string? BlockId);

/// <summary>
/// Renders Block Kit as terminal text: headers underlined, sections and fields as text, context dimmed
/// (when ANSI is allowed), buttons numbered as <c>[1] Approve (primary)</c>, images as alt text and URL,
/// dividers as a line. Slack's mrkdwn links and mentions become readable text.
/// </summary>
public sealed partial class BlockKitTextRenderer(bool ansi, Func<string, string?> userName, Func<RenderedButton, int> numberButton)
{
    private const int DividerWidth = 40;

    public string Render(string fallbackText, IReadOnlyList<Block> blocks)
    {
        var output = new StringBuilder();
        if (blocks.Count == 0)
        {
            AppendIndented(output, Mrkdwn(fallbackText));
            return output.ToString();
        }
        foreach (var block in blocks) RenderBlock(output, block);
        return output.ToString();
    }

    private void RenderBlock(StringBuilder output, Block block)
    {
        switch (block)
        {
            case HeaderBlock header:
                var title = Plain(header.Text);
                if (ansi) output.Append("  \u001b[1;4m").Append(title).AppendLine("\u001b[0m");
                else output.Append("  ").AppendLine(title).Append("  ").AppendLine(new string('=', Math.Max(3, title.Length)));
                break;
            case SectionBlock section:
                if (section.Text is { } text) AppendIndented(output, Text(text));
                foreach (var field in section.Fields ?? []) AppendIndented(output, "• " + Text(field));
                if (section.Accessory is { } accessory) AppendIndented(output, Element(accessory, section.BlockId));
                break;
            case ContextBlock context:
                var line = string.Join("  ·  ", context.Elements.Select(Text));
                AppendIndented(output, ansi ? $"\u001b[2m{line}\u001b[0m" : line);
                break;
            case ActionsBlock actions:
                AppendIndented(output, string.Join("   ", actions.Elements.Select(e => Element(e, actions.BlockId))));
                break;
            case DividerBlock:
                output.Append("  ").AppendLine(new string(ansi ? '─' : '-', DividerWidth));
                break;
            case ImageBlock image:
                var caption = image.Title is { } t ? Plain(t) + ": " : "";
                AppendIndented(output, $"[image] {caption}{image.AltText} <{image.ImageUrl}>");
                break;
            case InputBlock input:
                AppendIndented(output, $"{Plain(input.Label)}: {Element(input.Element, input.BlockId)}");
                break;
            default:
                AppendIndented(output, $"[{block.GetType().Name}]");
                break;
        }
    }

    private string Element(BlockElement element, string? blockId) => element switch
    {
        ButtonElement { Url: { } url } button when button.ActionId is null => $"[link] {Plain(button.Text)} <{url}>",
        ButtonElement button => ButtonLabel(button, numberButton(new RenderedButton(button, blockId))),
        StaticSelectElement select => $"[select {select.ActionId}] {string.Join(" | ", select.Options.Select(o => $"{Plain(o.Text)}={o.Value}"))}",
        PlainTextInputElement input => $"[text input {input.ActionId}]{(input.InitialValue is { } v ? $" \"{v}\"" : "")}",
        _ => $"[{element.GetType().Name}]",
    };

    private string ButtonLabel(ButtonElement button, int number)
    {
        var label = $"[{number}] {Plain(button.Text)}";
        if (button.Style is { } style) label += $" ({style})";
        if (button.Confirm is not null) label += " (asks to confirm)";
        if (!ansi) return label;
        return button.Style switch
        {
            "primary" => $"\u001b[32m{label}\u001b[0m",
            "danger" => $"\u001b[31m{label}\u001b[0m",
            _ => $"\u001b[1m{label}\u001b[0m",
        };
    }

    private string Text(TextObject text) => text.Type == "plain_text" ? Plain(text) : Mrkdwn(text.Text);

    private static string Plain(TextObject text) => StripControl(text.Text);

    /// <summary>Slack mrkdwn to terminal text: <c>&lt;@U1&gt;</c> → <c>@name</c>, <c>&lt;url|label&gt;</c> → <c>label (url)</c>, entities decoded.</summary>
    public string Mrkdwn(string text)
    {
        var converted = SlackLink().Replace(text, match =>
        {
            var target = match.Groups["target"].Value;
            if (!IsSlackReference(target)) return match.Value;
            var label = match.Groups["label"].Success ? match.Groups["label"].Value : null;
            if (target.StartsWith('@')) return "@" + (label ?? userName(target[1..]) ?? target[1..]);
            if (target.StartsWith('#')) return "#" + (label ?? target[1..]);
            if (target.StartsWith("!date^", StringComparison.Ordinal)) return label ?? target;
            if (target.StartsWith('!')) return "@" + (label ?? target[1..].Split('^')[0]);
            return label is null ? target : $"{label} ({target})";
        });
        return StripControl(converted.Replace("&lt;", "<").Replace("&gt;", ">").Replace("&amp;", "&"));
    }

    // Slack's <…> markup holds mentions (@U…, #C…, !here) or URLs; anything else is literal text.
    private static bool IsSlackReference(string target) =>
        target.Length > 1 && (target[0] is '@' or '#' or '!' || UrlScheme().IsMatch(target));

    // Text from handlers can carry anything; never let it drive the terminal.
    private static string StripControl(string text) =>
        text.Any(c => char.IsControl(c) && c != '\n' && c != '\t') ? new string(text.Where(c => !char.IsControl(c) || c == '\n' || c == '\t').ToArray()) : text;

    private static void AppendIndented(StringBuilder output, string text)
    {
        foreach (var line in text.TrimEnd('\n').Split('\n')) output.Append("  ").AppendLine(line.TrimEnd('\r'));
    }

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex UrlScheme();

    [GeneratedRegex(@"<(?<target>[^<>|]+)(\|(?<label>[^<>]*))?>")]
    private static partial Regex SlackLink();
}
