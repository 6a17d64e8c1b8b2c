using System.Text;

namespace Bot.Workflows.Messages;

/// <summary>
/// Text that came from outside (what a user typed, a display name, an AWS message, a log line) made fit to show:
/// one line, and bounded. Escaping is not done here: each transport escapes what it renders.
/// </summary>
public static class PlainText
{
    /// <summary>How much of a user's value is echoed back by default: enough to recognise it.</summary>
    public const int EchoLength = 60;

    /// <summary>At most <paramref name="max"/> characters, the last being "…" when cut (never half a surrogate pair).</summary>
    public static string Bound(string? text, int max)
    {
        text ??= "";
        if (text.Length <= max) return text;
        if (max <= 1) return "…";
        var cut = max - 1;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return text[..cut] + "…";
    }

    /// <summary>Line breaks become spaces and other control characters go, so an echo cannot start a quote or a list.</summary>
    public static string OneLine(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (!text.Any(char.IsControl)) return text;
        var line = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\n' or '\r' or '\t') line.Append(' ');
            else if (!char.IsControl(c)) line.Append(c);
        }
        return line.ToString();
    }
}
