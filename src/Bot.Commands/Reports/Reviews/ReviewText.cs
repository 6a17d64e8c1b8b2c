using System.Text;
using Bot.Workflows.Messages;

namespace Bot.Commands.Reports.Reviews;

/// <summary>
/// A review's lines as document text (the Markdown and the PDF): emoji as their characters, code in backticks (Markdown) or
/// plain (PDF), and every character that Markdown would read as markup escaped, so words from AWS stay words.
/// </summary>
public static class ReviewText
{
    private static readonly Dictionary<string, string> Emoji = new(StringComparer.Ordinal)
    {
        ["white_check_mark"] = "✅", ["warning"] = "⚠️", ["x"] = "❌", ["red_circle"] = "🔴", ["grey_question"] = "❔",
        ["large_orange_diamond"] = "🔶", ["chart_with_upwards_trend"] = "📈", ["bar_chart"] = "📊", ["moneybag"] = "💰", ["clipboard"] = "📋",
    };

    /// <summary>The section's state in words, for documents and logs.</summary>
    public static string Health(SectionHealth health) => health switch
    {
        SectionHealth.Healthy => "OK",
        SectionHealth.Attention => "Attention",
        _ => "Not read",
    };

    public static string Markdown(Line line)
    {
        var text = new StringBuilder();
        foreach (var span in line.Spans)
            text.Append(span switch
            {
                EmojiSpan e => Emoji.GetValueOrDefault(e.Name, $":{e.Name}:"),
                CodeSpan c => "`" + c.Text.Replace("`", "'", StringComparison.Ordinal) + "`",
                StrongSpan s => "**" + Escape(s.Text) + "**",
                PreformattedSpan p => "\n```\n" + p.Text.Replace("```", "ˋˋˋ", StringComparison.Ordinal) + "\n```\n",
                _ => Escape(span.Plain),
            });
        return text.ToString();
    }

    /// <summary>The line as plain text with emoji as words in brackets (PDF fonts have no colour emoji): "[!] …", "[ok] …".</summary>
    public static string Plain(Line line)
    {
        var text = new StringBuilder();
        foreach (var span in line.Spans)
            text.Append(span is EmojiSpan e ? e.Name switch
            {
                "white_check_mark" => "[ok]",
                "warning" or "large_orange_diamond" => "[!]",
                "x" or "red_circle" => "[x]",
                "grey_question" => "[?]",
                _ => "",
            } : span.Plain);
        return text.ToString().Trim();
    }

    private static string Escape(string text)
    {
        var s = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '#' or '|') s.Append('\\');
            s.Append(c);
        }
        return s.ToString();
    }
}
