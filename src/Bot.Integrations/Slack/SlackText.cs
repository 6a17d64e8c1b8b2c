using System.Text;
using Bot.Workflows.Messages;

namespace Bot.Integrations.Slack;

/// <summary>
/// Text that came from outside (what a user typed, a display name, an AWS message, a log line, an alarm
/// reason) on its way into a Slack message. Slack reads <c>&lt;…&gt;</c> as mentions and links
/// (<c>&lt;!here&gt;</c>, <c>&lt;@U…&gt;</c>, <c>&lt;https://…|label&gt;</c>) and <c>&amp;</c> as the start of
/// an entity, in a message's text and in Block Kit <c>mrkdwn</c> alike, so those three are escaped
/// (<c>&amp;amp;</c>, <c>&amp;lt;</c>, <c>&amp;gt;</c>) as Slack documents. Echoes are one line and
/// bounded; a value is shown in a code span, where a backtick in it could end the span early and so
/// becomes <c>ˋ</c>. Escape once, where the text is put into the message, never the message as a whole.
/// </summary>
public static class SlackText
{
    /// <summary>How much of a user's value is echoed back by default: enough to recognise it.</summary>
    public const int EchoLength = PlainText.EchoLength;

    /// <summary>Stands for a backtick inside a code span (a backtick would close the span).</summary>
    public const char BacktickStandIn = 'ˋ';

    /// <summary><c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> as entities, everything else as it is.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (text.AsSpan().IndexOfAny('&', '<', '>') < 0) return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }

    /// <summary>A value in a code span: <c>`value`</c>, one line, at most <paramref name="max"/> characters (then "…"), escaped.</summary>
    public static string Code(string? value, int max = EchoLength) => "`" + InCode(value, max) + "`";

    /// <summary>What goes between the backticks of a code span, for spans that hold more than the value (<c>`/sb {value}`</c>).</summary>
    public static string InCode(string? value, int max = EchoLength)
    {
        var text = Bound(OneLine(value), max).Replace('`', BacktickStandIn);
        return text.Length == 0 ? " " : Escape(text);
    }

    /// <summary>Free text from outside (an AWS message, an alarm reason, a name): one line, bounded, escaped.</summary>
    public static string Echo(string? text, int max) => Escape(Bound(OneLine(text), max));

    /// <summary>Lines for a <c>```</c> code block (log lines): a <c>```</c> inside cannot end the block early; escaped.</summary>
    public static string InCodeBlock(string? text) => Escape((text ?? "").Replace("```", "ˋˋˋ", StringComparison.Ordinal));

    /// <summary>
    /// Plain <paramref name="text"/> cut so that, escaped, it holds at most <paramref name="max"/> characters, then "…" (before
    /// it when <paramref name="keepEnd"/>, keeping the end): for text whose room in a message is counted as Slack counts.
    /// </summary>
    public static string BoundEscaped(string text, int max, bool keepEnd = false)
    {
        if (Escape(text).Length <= max) return text;
        var used = 0;
        var kept = 0;
        for (; kept < text.Length; kept++)
        {
            var c = text[keepEnd ? text.Length - 1 - kept : kept];
            var size = c switch { '&' => 5, '<' or '>' => 4, _ => 1 };
            if (used + size > max) break;
            used += size;
        }
        return keepEnd ? "…" + text[^kept..] : text[..kept] + "…";
    }

    /// <summary>At most <paramref name="max"/> characters, the last being "…" when cut (<see cref="PlainText.Bound"/>).</summary>
    public static string Bound(string? text, int max) => PlainText.Bound(text, max);

    /// <summary>Line breaks become spaces and other control characters go (<see cref="PlainText.OneLine"/>).</summary>
    public static string OneLine(string? text) => PlainText.OneLine(text);
}
