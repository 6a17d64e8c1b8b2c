using System.Text;
using Bot.Integrations.Aws.Lambda;
using Bot.Commands.Redaction;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Integrations.Slack.BlockKit;

namespace Bot.Commands.Cloud.Invoke;

/// <summary>
/// The answer to <c>/sb invoke</c>: a status line, then the function's answer and its log tail in code blocks.
/// Both come from the function, so they are redacted, escaped for Slack and fenced.
/// </summary>
public static class InvokeMessages
{
    private const int MaxAnswerChars = 700;
    private const int MaxTailChars = 2400;

    public static ChatMessage Build(string function, string env, string alias, InvokeResponse answer)
    {
        var failed = answer.FunctionError is not null;
        var version = string.IsNullOrEmpty(answer.ExecutedVersion) ? "" : $" → version {Untrusted(answer.ExecutedVersion)}";
        var outcome = failed
            ? $"status {answer.StatusCode}, function error `{Untrusted(answer.FunctionError!)}`"
            : $"status {answer.StatusCode}, no function error";
        var header = $"{(failed ? ":x:" : ":white_check_mark:")} Invoked `{function}:{alias}`{version} ({env}): {outcome}";

        var blocks = new List<Block> { SectionBlock.Markdown(header) };
        var text = new StringBuilder(header);
        var reply = Fenced(answer.Payload, MaxAnswerChars, keepEnd: false);
        if (reply.Length > 0)
        {
            blocks.Add(SectionBlock.Markdown($"*{(failed ? "Error" : "Answer")}*\n```\n{reply}\n```"));
            text.Append('\n').Append(failed ? "Error: " : "Answer: ").Append(reply);
        }
        var tail = Fenced(answer.LogTail, MaxTailChars, keepEnd: true);
        blocks.Add(tail.Length > 0
            ? SectionBlock.Markdown($"*Log tail*\n```\n{tail}\n```")
            : ContextBlock.Markdown("Lambda sent no log tail."));
        if (tail.Length > 0) text.Append("\nLog tail:\n").Append(tail);
        return new ChatMessage { Text = text.ToString(), Blocks = blocks, Ephemeral = false };
    }

    /// <summary>Text from the function, made safe for a code block: secrets masked, Slack control characters escaped, at most <paramref name="max"/> characters.</summary>
    private static string Fenced(string? raw, int max, bool keepEnd)
    {
        if (string.IsNullOrWhiteSpace(raw)) return "";
        var text = Untrusted(Redactor.Redact(raw.TrimEnd())).Replace("```", "ˋˋˋ", StringComparison.Ordinal);
        if (text.Length <= max) return text;
        return keepEnd ? "…" + text[^max..] : text[..max] + "…";
    }

    /// <summary>Slack's escaping of text it must not read as markup: <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>.</summary>
    private static string Untrusted(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
