using System.Globalization;
using System.Text.RegularExpressions;

namespace Bot.Sandbox.Account.Logs;

/// <summary>The <c>stats</c> command: count, sum, avg, min and max, grouped by fields and <c>bin(…)</c>.</summary>
public sealed partial class InsightsQuery
{
    private static Func<List<Row>, List<Row>> Stats(string text)
    {
        var byIndex = IndexOfWord(text, "by");
        var aggText = byIndex < 0 ? text : text[..byIndex];
        var groupText = byIndex < 0 ? "" : text[(byIndex + 2)..];
        var aggregates = new List<(string Name, string Function, string? Field)>();
        foreach (var part in SplitTopLevel(aggText))
        {
            var m = Aggregate().Match(part.Trim());
            if (!m.Success) throw new FormatException($"The sandbox cannot read the aggregation '{part.Trim()}'; use count(*), count(field), sum, avg, min or max.");
            var fn = m.Groups["fn"].Value.ToLowerInvariant();
            var arg = m.Groups["arg"].Value.Trim();
            var field = arg is "" or "*" ? null : arg;
            if (field is null && fn != "count") throw new FormatException($"{fn}() needs a field.");
            var name = m.Groups["as"].Success ? m.Groups["as"].Value : $"{m.Groups["fn"].Value}({arg})";
            aggregates.Add((name, fn, field));
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
            var grouped = rows.GroupBy(r => string.Join("\u0001", groups.Select(g => Format(g.Name, g.Key(r)))));
            var result = new List<Row>();
            foreach (var group in grouped)
            {
                var row = new Row();
                var first = group.First();
                foreach (var (name, key) in groups) row[name] = key(first);
                foreach (var (name, fn, field) in aggregates)
                {
                    var numbers = field is null ? [] : group.Select(r => ToNumber(r.GetValueOrDefault(field))).OfType<double>().ToList();
                    row[name] = fn switch
                    {
                        "count" => field is null ? group.Count() : (double)group.Count(r => r.GetValueOrDefault(field) is not null),
                        "sum" => numbers.Sum(),
                        "avg" => numbers.Count == 0 ? null : numbers.Average(),
                        "min" => numbers.Count == 0 ? null : numbers.Min(),
                        _ => numbers.Count == 0 ? null : numbers.Max(),
                    };
                    if (row[name] is int i) row[name] = (double)i;
                }
                result.Add(row);
            }
            return groups.Count > 0 && groups[0].Name.StartsWith("bin(", StringComparison.Ordinal)
                ? result.OrderByDescending(r => r[groups[0].Name], ValueComparer.Instance).ToList()
                : result;
        };
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

    [GeneratedRegex(@"^(?<fn>count|sum|avg|min|max)\s*\((?<arg>[^)]*)\)(\s+as\s+(?<as>[A-Za-z_@][A-Za-z0-9_.@]*))?$", RegexOptions.IgnoreCase)]
    private static partial Regex Aggregate();

    [GeneratedRegex(@"^bin\((?<n>[0-9]+)(?<u>[smhd])\)$")]
    private static partial Regex Bin();
}
