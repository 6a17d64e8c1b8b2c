using Bot.Testing;
using Bot.Tests;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bot.Tests.Deploy;

/// <summary>
/// The part of CloudWatch Logs' JSON filter-pattern syntax the stack's metric filters use, run on a log line:
/// <c>{ $.a.b = "text" &amp;&amp; $.c &gt;= 0 }</c> (string equality without wildcards, numeric comparisons, <c>&amp;&amp;</c>), and a
/// metric value that is a number or <c>$.a.b</c>. Anything else throws, so a pattern this cannot read fails its test.
/// </summary>
public static partial class CloudWatchFilterPattern
{
    [GeneratedRegex(@"^\{\s*(?<terms>.+?)\s*\}$")]
    private static partial Regex Braces();

    [GeneratedRegex(@"^\$\.(?<path>[A-Za-z0-9_.]+)\s*(?<op>=|!=|>=|<=|>|<)\s*(?<value>""[^""*]*""|-?[0-9]+(\.[0-9]+)?)$")]
    private static partial Regex Term();

    /// <summary>Whether <paramref name="pattern"/> selects <paramref name="line"/> (a line that is not JSON is never selected).</summary>
    public static bool Matches(string pattern, string line)
    {
        var terms = Braces().Match(pattern.Trim());
        if (!terms.Success) throw new NotSupportedException($"Not a JSON filter pattern: {pattern}");
        JsonElement root;
        try { root = JsonDocument.Parse(line).RootElement; }
        catch (JsonException) { return false; }
        return terms.Groups["terms"].Value.Split("&&").All(term => Holds(term.Trim(), root));
    }

    /// <summary>The value a metric transformation publishes for a selected line.</summary>
    public static double Value(string metricValue, string line)
    {
        if (double.TryParse(metricValue, NumberStyles.Float, CultureInfo.InvariantCulture, out var literal)) return literal;
        if (!metricValue.StartsWith("$.", StringComparison.Ordinal)) throw new NotSupportedException($"Unsupported metric value {metricValue}");
        var field = Field(JsonDocument.Parse(line).RootElement, metricValue[2..]);
        return field is { ValueKind: JsonValueKind.Number } number ? number.GetDouble() : throw new InvalidOperationException($"{metricValue} is not a number in {line}");
    }

    private static bool Holds(string term, JsonElement root)
    {
        var match = Term().Match(term);
        if (!match.Success) throw new NotSupportedException($"Unsupported filter term: {term}");
        var (op, value) = (match.Groups["op"].Value, match.Groups["value"].Value);
        if (Field(root, match.Groups["path"].Value) is not { } field) return false;
        if (value.StartsWith('"'))
        {
            if (op is not ("=" or "!=")) throw new NotSupportedException($"Strings compare with = or != only: {term}");
            return field.ValueKind == JsonValueKind.String && (field.GetString() == value[1..^1]) == (op == "=");
        }
        if (field.ValueKind != JsonValueKind.Number) return false;
        var (left, right) = (field.GetDouble(), double.Parse(value, CultureInfo.InvariantCulture));
        return op switch { "=" => left == right, "!=" => left != right, ">=" => left >= right, "<=" => left <= right, ">" => left > right, _ => left < right };
    }

    private static JsonElement? Field(JsonElement root, string path)
    {
        var current = root;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current)) return null;
        }
        return current;
    }
}
