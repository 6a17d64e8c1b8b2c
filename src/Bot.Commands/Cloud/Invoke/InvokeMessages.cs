using Bot.Integrations.Aws.Lambda;
using Bot.Commands.Redaction;
using Bot.Integrations.Slack;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud.Invoke;

/// <summary>
/// The answer to <c>/sb invoke</c>: a status line, then the function's answer and its log tail in code blocks.
/// Both come from the function, so they are redacted, go in as text (which every transport escapes) and are fenced.
/// </summary>
public static class InvokeMessages
{
    private const int MaxAnswerChars = 700;
    private const int MaxTailChars = 2400;

    public static ChatMessage Build(string function, string env, string alias, InvokeResponse answer)
    {
        var failed = answer.FunctionError is not null;
        var version = string.IsNullOrEmpty(answer.ExecutedVersion) ? null : " → version " + answer.ExecutedVersion;
        var outcome = failed
            ? Line.Of($"status {answer.StatusCode}, function error ", Code(answer.FunctionError!))
            : Line.Of($"status {answer.StatusCode}, no function error");
        var header = Line.Of(Emoji(failed ? "x" : "white_check_mark"), " Invoked ", Code($"{function}:{alias}"), version, $" ({env}): ", outcome);

        var blocks = new List<MessageBlock> { new TextBlock(header) };
        var text = new LineBuilder(header);
        var reply = Fenced(answer.Payload, MaxAnswerChars, keepEnd: false);
        if (reply.Length > 0)
        {
            blocks.Add(new TextBlock(Line.Of(Strong(failed ? "Error" : "Answer"), "\n", Preformatted(reply))));
            text.Add("\n", failed ? "Error: " : "Answer: ", reply);
        }
        var tail = Fenced(answer.LogTail, MaxTailChars, keepEnd: true);
        blocks.Add(tail.Length > 0
            ? new TextBlock(Line.Of(Strong("Log tail"), "\n", Preformatted(tail)))
            : new NoteBlock("Lambda sent no log tail."));
        if (tail.Length > 0) text.Add("\nLog tail:\n", tail);
        return ChatMessage.InChannel(text, blocks);
    }

    /// <summary>
    /// Text from the function, made fit for a code block: secrets masked, a <c>```</c> inside cannot end the block, at most
    /// <paramref name="max"/> characters as Slack counts them (escaped).
    /// </summary>
    private static string Fenced(string? raw, int max, bool keepEnd)
    {
        if (string.IsNullOrWhiteSpace(raw)) return "";
        var text = Redactor.Redact(raw.TrimEnd()).Replace("```", "ˋˋˋ", StringComparison.Ordinal);
        return SlackText.BoundEscaped(text, max, keepEnd);
    }
}
