using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bot.Sandbox.Account.Logs;

/// <summary>
/// CloudWatch Logs JSON filter patterns: <c>{ $.level = "ERROR" }</c>, <c>{ $.latency &gt; 500 &amp;&amp; $.status != 200 }</c>,
/// with selectors (<c>$.a.b</c>, <c>$.items[0]</c>), <c>= != &lt; &gt; &lt;= &gt;=</c>, <c>*</c> wildcards in strings,
/// <c>&amp;&amp;</c>, <c>||</c> and parentheses. Like CloudWatch, they match only events whose message is a JSON object.
/// </summary>
internal static partial class JsonFilterPattern
{
    public static Func<string, bool> Parse(string text)
    {
        var inner = text.Trim();
        if (inner.Length < 2 || inner[0] != '{' || inner[^1] != '}') throw new FormatException("A JSON filter pattern is written { $.field = value }.");
        var tokens = Tokenize(inner[1..^1]);
        var i = 0;
        var expression = Or(tokens, ref i);
        if (i != tokens.Count) throw new FormatException($"Unexpected '{tokens[i]}' in the JSON filter pattern.");
        return message =>
        {
            var start = message.AsSpan().TrimStart();
            if (start.Length == 0 || start[0] != '{') return false;
            try
            {
                using var doc = JsonDocument.Parse(message);
                return expression(doc.RootElement);
            }
            catch (JsonException)
            {
                return false;
            }
        };
    }

    private static Func<JsonElement, bool> Or(List<string> t, ref int i)
    {
        var left = And(t, ref i);
        while (i < t.Count && t[i] == "||")
        {
            i++;
            var right = And(t, ref i);
            var l = left;
            left = e => l(e) || right(e);
        }
        return left;
    }

    private static Func<JsonElement, bool> And(List<string> t, ref int i)
    {
        var left = Term(t, ref i);
        while (i < t.Count && t[i] == "&&")
        {
            i++;
            var right = Term(t, ref i);
            var l = left;
            left = e => l(e) && right(e);
        }
        return left;
    }

    private static Func<JsonElement, bool> Term(List<string> t, ref int i)
    {
        if (i < t.Count && t[i] == "(")
        {
            i++;
            var inner = Or(t, ref i);
            if (i >= t.Count || t[i] != ")") throw new FormatException("A '(' in the JSON filter pattern is not closed.");
            i++;
            return inner;
        }
        if (i + 3 > t.Count) throw new FormatException("The JSON filter pattern ends too early; write { $.field = value }.");
        var selector = t[i++];
        if (!Selector().IsMatch(selector)) throw new FormatException($"'{selector}' is not a selector such as $.level.");
        var op = t[i++];
        if (op is not ("=" or "!=" or "<" or ">" or "<=" or ">=")) throw new FormatException($"'{op}' is not a comparison in the JSON filter pattern.");
        var value = t[i++];
        var path = Path(selector);
        var number = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : (double?)null;
        var text = value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
        if (number is null && op is not ("=" or "!=")) throw new FormatException($"'{op}' compares numbers, not '{value}'.");
        var wildcard = number is null ? new Regex("^" + Regex.Escape(text).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.None, TimeSpan.FromMilliseconds(50)) : null;
        return e =>
        {
            if (!TryResolve(e, path, out var v)) return op == "!=";
            if (number is { } expected)
            {
                if (v.ValueKind != JsonValueKind.Number) return op == "!=";
                var actual = v.GetDouble();
                return op switch
                {
                    "=" => actual == expected,
                    "!=" => actual != expected,
                    "<" => actual < expected,
                    ">" => actual > expected,
                    "<=" => actual <= expected,
                    _ => actual >= expected,
                };
            }
            var s = v.ValueKind switch
            {
                JsonValueKind.String => v.GetString()!,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => "null",
                _ => v.GetRawText(),
            };
            bool equal;
            try
            {
                equal = wildcard!.IsMatch(s);
            }
            catch (RegexMatchTimeoutException)
            {
                equal = false;
            }
            return op == "=" ? equal : !equal;
        };
    }

    private static List<object> Path(string selector)
    {
        var parts = new List<object>();
        foreach (Match m in Segment().Matches(selector[1..]))
        {
            if (m.Groups["name"].Success) parts.Add(m.Groups["name"].Value);
            else parts.Add(int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture));
        }
        return parts;
    }

    private static bool TryResolve(JsonElement root, List<object> path, out JsonElement value)
    {
        value = root;
        foreach (var part in path)
        {
            if (part is string name)
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value)) return false;
            }
            else
            {
                var index = (int)part;
                if (value.ValueKind != JsonValueKind.Array || index >= value.GetArrayLength()) return false;
                value = value[index];
            }
        }
        return true;
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '"')
            {
                var start = i++;
                while (i < text.Length && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
                if (i >= text.Length) throw new FormatException("A quoted value in the JSON filter pattern is not closed.");
                tokens.Add(text[start..++i]);
            }
            else if (c is '(' or ')') { tokens.Add(c.ToString()); i++; }
            else if (i + 1 < text.Length && text.Substring(i, 2) is "&&" or "||" or "!=" or "<=" or ">=") { tokens.Add(text.Substring(i, 2)); i += 2; }
            else if (c is '=' or '<' or '>') { tokens.Add(c.ToString()); i++; }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or '=' or '<' or '>' or '!' or '&' or '|')) i++;
                if (i == start) throw new FormatException($"Unexpected '{c}' in the JSON filter pattern.");
                tokens.Add(text[start..i]);
            }
        }
        return tokens;
    }

    // An index is ASCII digits that fit an int: \d would match any script's digits, which int.Parse refuses.
    [GeneratedRegex(@"^\$(\.[A-Za-z0-9_\-@]+|\[[0-9]{1,9}\])+$")]
    private static partial Regex Selector();

    [GeneratedRegex(@"\.(?<name>[A-Za-z0-9_\-@]+)|\[(?<index>[0-9]{1,9})\]")]
    private static partial Regex Segment();
}
