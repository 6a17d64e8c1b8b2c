using System.Text;
using System.Text.RegularExpressions;

namespace Bot.Sandbox.Account.Logs;

/// <summary>
/// CloudWatch Logs filter patterns for unstructured events: terms (<c>ERROR</c>; all must appear), quoted
/// phrases (<c>"Task timed out"</c>), alternatives (<c>?ERROR ?WARN</c>: any may appear), exclusions
/// (<c>ERROR -Timeout</c>) and regular expressions (<c>%Task timed out after \d+%</c>). Matching is
/// case-sensitive, as in CloudWatch. JSON patterns (<c>{ $.level = "ERROR" }</c>) match JSON messages;
/// space-delimited patterns are not supported.
/// </summary>
public sealed class FilterPattern
{
    private readonly List<Func<string, bool>> _required = [];
    private readonly List<Func<string, bool>> _optional = [];
    private readonly List<Func<string, bool>> _excluded = [];

    private FilterPattern() { }

    public static FilterPattern MatchAll { get; } = new();

    /// <summary>Parses a pattern; throws <see cref="FormatException"/> with a readable reason when it cannot.</summary>
    public static FilterPattern Parse(string? pattern)
    {
        var text = pattern?.Trim() ?? "";
        if (text.Length == 0) return MatchAll;
        if (text[0] == '[')
            throw new FormatException("The sandbox supports term, \"phrase\", ?alternative, -exclusion, %regex% and { JSON } filter patterns, not space-delimited ones.");
        var result = new FilterPattern();
        if (text[0] == '{')
        {
            result._required.Add(JsonFilterPattern.Parse(text));
            return result;
        }
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            var kind = text[i] switch { '?' => '?', '-' when i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]) => '-', _ => ' ' };
            if (kind != ' ') i++;
            Func<string, bool> matcher;
            if (i < text.Length && text[i] == '"')
            {
                var sb = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    sb.Append(text[i++]);
                }
                if (i >= text.Length) throw new FormatException("A quoted phrase in the filter pattern is not closed.");
                i++;
                var phrase = sb.ToString();
                matcher = m => m.Contains(phrase, StringComparison.Ordinal);
            }
            else if (i < text.Length && text[i] == '%')
            {
                var close = text.IndexOf('%', i + 1);
                if (close < 0) throw new FormatException("A %regex% in the filter pattern is not closed.");
                Regex regex;
                try
                {
                    regex = new Regex(text[(i + 1)..close], RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
                }
                catch (ArgumentException e)
                {
                    throw new FormatException($"The regular expression in the filter pattern is not valid: {e.Message}");
                }
                i = close + 1;
                matcher = m =>
                {
                    try
                    {
                        return regex.IsMatch(m);
                    }
                    catch (RegexMatchTimeoutException)
                    {
                        return false;
                    }
                };
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
                var term = text[start..i];
                if (term.Length == 0) throw new FormatException("The filter pattern has an empty term.");
                matcher = m => m.Contains(term, StringComparison.Ordinal);
            }
            (kind switch { '?' => result._optional, '-' => result._excluded, _ => result._required }).Add(matcher);
        }
        if (result._optional.Count > 0 && result._required.Count > 0)
            throw new FormatException("A filter pattern cannot mix ?alternatives with required terms.");
        return result;
    }

    public bool Matches(string message)
    {
        foreach (var x in _excluded)
            if (x(message)) return false;
        if (_optional.Count > 0) return _optional.Any(o => o(message));
        foreach (var r in _required)
            if (!r(message)) return false;
        return true;
    }
}
