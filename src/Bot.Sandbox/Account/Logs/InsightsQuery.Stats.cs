using System.Globalization;
using System.Text.RegularExpressions;

namespace Bot.Sandbox.Account.Logs;

/// <summary>
/// The <c>stats</c> command: count, count_distinct, sum, avg, min, max, stddev and pct (nearest rank), grouped by fields
/// and <c>bin(…)</c>, accumulated one row at a time.
/// </summary>
public sealed partial class InsightsQuery
{
    private static Func<IEnumerable<Row>, IEnumerable<Row>> Stats(string text)
    {
        var byIndex = IndexOfWord(text, "by");
        var aggText = byIndex < 0 ? text : text[..byIndex];
        var groupText = byIndex < 0 ? "" : text[(byIndex + 2)..];
        var aggregates = new List<(string Name, string Function, string? Field, double Percentile)>();
        foreach (var part in SplitTopLevel(aggText))
        {
            var m = Aggregate().Match(part.Trim());
            if (!m.Success) throw new FormatException($"The sandbox cannot read the aggregation '{part.Trim()}'; use count(*), count(field), count_distinct, sum, avg, min, max, stddev or pct(field, n).");
            var fn = m.Groups["fn"].Value.ToLowerInvariant();
            var arg = m.Groups["arg"].Value.Trim();
            var percentile = 0.0;
            if (fn == "pct")
            {
                var comma = arg.LastIndexOf(',');
                if (comma < 0 || !double.TryParse(arg.AsSpan(comma + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out percentile) || percentile is < 0 or > 100)
                    throw new FormatException("pct() takes a field and a percentile from 0 to 100, e.g. pct(@duration, 95).");
                arg = arg[..comma].Trim();
            }
            var field = arg is "" or "*" ? null : arg;
            if (field is null && fn != "count") throw new FormatException($"{fn}() needs a field.");
            var name = m.Groups["as"].Success ? m.Groups["as"].Value : $"{m.Groups["fn"].Value}({m.Groups["arg"].Value.Trim()})";
            aggregates.Add((name, fn, field, percentile));
        }
        if (aggregates.Count == 0) throw new FormatException("'stats' needs an aggregation such as count(*).");
        var groups = new List<(string Name, Func<Row, object?> Key)>();
        foreach (var part in groupText.Length == 0 ? [] : SplitTopLevel(groupText))
        {
            var g = part.Trim();
            var bin = Bin().Match(g);
            if (bin.Success)
            {
                var size = long.Parse(bin.Groups["n"].Value, CultureInfo.InvariantCulture) * bin.Groups["u"].Value switch
                {
                    "s" => 1000L,
                    "m" => 60_000L,
                    "h" => 3_600_000L,
                    _ => 86_400_000L,
                };
                groups.Add((g, r => r["@timestamp"] is long t ? t - t % size : null));
            }
            else if (FieldName().IsMatch(g)) groups.Add((g, r => r.GetValueOrDefault(g)));
            else throw new FormatException($"The sandbox cannot group by '{g}'; use fields or bin(5m).");
        }

        return rows =>
        {
            // One accumulator per group and aggregate: the count, and the numbers (kept for avg, stddev and pct) or distinct values.
            var groupsSeen = new Dictionary<string, (Row Keys, List<double>[] Numbers, long[] Counts, HashSet<string>?[] Distinct)>(StringComparer.Ordinal);
            foreach (var r in rows)
            {
                var key = string.Join("\u0001", groups.Select(g => Format(g.Name, g.Key(r))));
                if (!groupsSeen.TryGetValue(key, out var acc))
                {
                    var keys = new Row();
                    foreach (var (name, k) in groups) keys[name] = k(r);
                    acc = (keys, [.. aggregates.Select(_ => new List<double>())], new long[aggregates.Count],
                        [.. aggregates.Select(a => a.Function == "count_distinct" ? new HashSet<string>(StringComparer.Ordinal) : null)]);
                    groupsSeen[key] = acc;
                }
                for (var i = 0; i < aggregates.Count; i++)
                {
                    var field = aggregates[i].Field;
                    var value = field is null ? null : r.GetValueOrDefault(field);
                    if (field is null || value is not null) acc.Counts[i]++;
                    if (acc.Distinct[i] is { } set && value is not null) set.Add(Format(field!, value));
                    else if (field is not null && ToNumber(value) is { } n) acc.Numbers[i].Add(n);
                }
            }
            var result = new List<Row>();
            foreach (var (keys, numbers, counts, distinct) in groupsSeen.Values)
            {
                var row = new Row();
                foreach (var (name, value) in keys) row[name] = value;
                for (var i = 0; i < aggregates.Count; i++)
                {
                    var (name, fn, _, percentile) = aggregates[i];
                    var xs = numbers[i];
                    row[name] = fn switch
                    {
                        "count" => (double)counts[i],
                        "count_distinct" => (double)distinct[i]!.Count,
                        "sum" => xs.Sum(),
                        "avg" => xs.Count == 0 ? null : xs.Average(),
                        "min" => xs.Count == 0 ? null : xs.Min(),
                        "max" => xs.Count == 0 ? null : xs.Max(),
                        "stddev" => xs.Count == 0 ? null : Math.Sqrt(xs.Sum(x => (x - xs.Average()) * (x - xs.Average())) / xs.Count),
                        _ => xs.Count == 0 ? null : Percentile(xs, percentile),
                    };
                }
                result.Add(row);
            }
            return groups.Count > 0 && groups[0].Name.StartsWith("bin(", StringComparison.Ordinal)
                ? result.OrderByDescending(r => r[groups[0].Name], ValueComparer.Instance).ToList()
                : result;
        };
    }

    /// <summary>The nearest-rank percentile of the numbers.</summary>
    private static double Percentile(List<double> numbers, double p)
    {
        numbers.Sort();
        var rank = (int)Math.Ceiling(p / 100 * numbers.Count);
        return numbers[Math.Clamp(rank - 1, 0, numbers.Count - 1)];
    }

    private static int IndexOfWord(string text, string word)
    {
        var depth = 0;
        for (var i = 0; i + word.Length <= text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (depth == 0 && string.Compare(text, i, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0 &&
                     (i == 0 || char.IsWhiteSpace(text[i - 1])) && (i + word.Length == text.Length || char.IsWhiteSpace(text[i + word.Length])))
                return i;
        }
        return -1;
    }

    [GeneratedRegex(@"^(?<fn>count_distinct|count|sum|avg|min|max|stddev|pct)\s*\((?<arg>[^)]*)\)(\s+as\s+(?<as>[A-Za-z_@][A-Za-z0-9_.@]*))?$", RegexOptions.IgnoreCase)]
    private static partial Regex Aggregate();

    [GeneratedRegex(@"^bin\((?<n>[0-9]+)(?<u>[smhd])\)$")]
    private static partial Regex Bin();
}
