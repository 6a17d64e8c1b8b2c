using System.Text;

namespace Bot.Commands.Routing;

/// <summary>
/// Splits command text into words. A quote at the start of a word groups words until its closing
/// quote (Slack's "smart" quotes count too); a quote inside a word, as in <c>it’s</c>, is just a
/// character. A backslash escapes a double quote inside double quotes. An unclosed quote runs to
/// the end of the text (the router refuses such a command; the audit trail still records it). Never throws.
/// </summary>
public static class CommandTokenizer
{
    public static IReadOnlyList<string> Tokenize(string? text) => Tokenize(text, out _);

    /// <summary>The words, and whether a quote was opened and never closed (e.g. <c>--filter "</c>).</summary>
    public static IReadOnlyList<string> Tokenize(string? text, out bool unclosedQuote)
    {
        unclosedQuote = false;
        var tokens = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return tokens;

        var current = new StringBuilder();
        var inToken = false;
        char? quote = null;

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } open)
            {
                if (c == '\\' && open == '"' && i + 1 < text.Length && (text[i + 1] is '"' or '\\'))
                {
                    current.Append(text[++i]);
                }
                else if (Closes(open, c) && (open == '"' || i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (inToken)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                    inToken = false;
                }
                continue;
            }

            if (!inToken && OpeningQuote(c) is { } q) quote = q;
            else current.Append(c);
            inToken = true;
        }

        if (inToken) tokens.Add(current.ToString());
        unclosedQuote = quote is not null;
        return tokens;
    }

    // Slack clients may turn straight quotes into typographic ones.
    private static char? OpeningQuote(char c) => c switch
    {
        '"' or '\u201C' or '\u201D' => '"',
        '\'' or '\u2018' or '\u2019' => '\'',
        _ => null,
    };

    private static bool Closes(char open, char c) => open == '"'
        ? c is '"' or '\u201C' or '\u201D'
        : c is '\'' or '\u2018' or '\u2019';
}
