using System.Globalization;
using System.Text.RegularExpressions;

namespace Bot.Sandbox.Account.Logs;

/// <summary>
/// A small CloudWatch Logs Insights engine: <c>fields</c>/<c>display</c>, <c>filter</c> (like /regex/,
/// like "text", =, !=, &lt;, &gt;, and/or/not, ispresent), <c>sort</c>, <c>limit</c> and <c>stats</c>
/// (count, sum, avg, min, max, by fields and <c>bin(5m)</c>). Discovered fields: @timestamp, @message,
/// @logStream, @log, @ingestionTime, and for Lambda @requestId, @type, @duration, @billedDuration,
/// @memorySize, @maxMemoryUsed from REPORT lines.
/// </summary>
public sealed partial class InsightsQuery
{
    private readonly List<(bool IsFilter, Func<List<Row>, List<Row>> Run)> _stages = [];
    private List<string>? _fields;
    private bool _sorted;
    private bool _aggregated;

    private InsightsQuery() { }

    /// <summary>A result row: field name to value, in output order.</summary>
    public sealed class Row : Dictionary<string, object?>
    {
        public Row() : base(StringComparer.Ordinal) { }
    }

    /// <summary>Parses the query; throws <see cref="FormatException"/> with a readable reason when it cannot.</summary>
    public static InsightsQuery Parse(string text)
    {
        var query = new InsightsQuery();
        foreach (var raw in SplitCommands(text))
        {
            var command = raw.Trim();
            if (command.Length == 0) throw new FormatException("The query has an empty command between '|'.");
            var space = command.IndexOfAny([' ', '\t', '\n']);
            var verb = (space < 0 ? command : command[..space]).ToLowerInvariant();
            var rest = space < 0 ? "" : command[(space + 1)..].Trim();
            switch (verb)
            {
                case "fields" or "display":
                    var fields = SplitTopLevel(rest).Select(f => f.Trim()).ToList();
                    if (fields.Count == 0 || fields.Any(f => f.Length == 0)) throw new FormatException($"'{verb}' needs a list of fields.");
                    query._fields = fields;
                    break;
                case "filter":
                    var parser = new Parser(Tokenize(rest));
                    var predicate = parser.ParseExpression();
                    parser.ExpectEnd();
                    query._stages.Add((true, rows => rows.Where(predicate).ToList()));
                    break;
                case "sort":
                    var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length is 0 or > 2 || (parts.Length == 2 && parts[1].ToLowerInvariant() is not ("asc" or "desc")))
                        throw new FormatException("'sort' takes a field and optionally asc or desc.");
                    var field = parts[0];
                    var desc = parts.Length == 1 || parts[1].Equals("desc", StringComparison.OrdinalIgnoreCase);
                    query._sorted = true;
                    query._stages.Add((false, rows => (desc ? rows.OrderByDescending(r => r.GetValueOrDefault(field), ValueComparer.Instance)
                        : rows.OrderBy(r => r.GetValueOrDefault(field), ValueComparer.Instance)).ToList()));
                    break;
                case "limit":
                    if (!int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 10000)
                        throw new FormatException("'limit' takes a number from 1 to 10000.");
                    query._stages.Add((false, rows => rows.Take(n).ToList()));
                    break;
                case "stats":
                    query._stages.Add((false, Stats(rest)));
                    query._aggregated = true;
                    query._fields = null;
                    break;
                default:
                    throw new FormatException($"The sandbox does not support the '{verb}' command; it supports fields, display, filter, sort, limit and stats.");
            }
        }
        return query;
    }

    /// <summary>Runs the query over the events; returns the result rows and how many events matched the filters.</summary>
    public (List<Row> Rows, int Matched) Run(IEnumerable<LogEvent> events, string accountId, int limit)
    {
        var rows = events.Select(e => ToRow(e, accountId)).ToList();
        if (!_aggregated && !_sorted)
            rows = rows.OrderByDescending(r => r["@timestamp"], ValueComparer.Instance).ToList();
        var matched = rows.Count;
        var filtering = true;
        foreach (var (isFilter, run) in _stages)
        {
            rows = run(rows);
            filtering &= isFilter;
            if (filtering) matched = rows.Count;
        }
        var output = rows.Take(limit).Select(r =>
        {
            if (_aggregated) return r;
            var fields = _fields ?? ["@timestamp", "@message", "@logStream", "@log"];
            var o = new Row();
            foreach (var f in fields)
                if (r.TryGetValue(f, out var v) && v is not null) o[f] = v;
            o["@ptr"] = r["@ptr"];
            return o;
        }).ToList();
        return (output, matched);
    }

    /// <summary>The text form of a value as GetQueryResults returns it.</summary>
    public static string Format(string field, object? value) => value switch
    {
        null => "",
        long ms when field is "@timestamp" or "@ingestionTime" || field.StartsWith("bin(", StringComparison.Ordinal) =>
            DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        double d => d.ToString("0.##########", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static Row ToRow(LogEvent e, string accountId)
    {
        var row = new Row
        {
            ["@timestamp"] = e.Timestamp,
            ["@message"] = e.Message,
            ["@logStream"] = e.LogStreamName,
            ["@log"] = $"{accountId}:{e.LogGroupName}",
            ["@ingestionTime"] = e.IngestionTime,
            ["@ptr"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{e.LogGroupName}|{e.EventId}")),
        };
        var report = ReportLine().Match(e.Message);
        if (report.Success)
        {
            row["@type"] = "REPORT";
            row["@requestId"] = report.Groups["id"].Value;
            row["@duration"] = double.Parse(report.Groups["d"].Value, CultureInfo.InvariantCulture);
            row["@billedDuration"] = double.Parse(report.Groups["b"].Value, CultureInfo.InvariantCulture);
            row["@memorySize"] = double.Parse(report.Groups["m"].Value, CultureInfo.InvariantCulture) * 1_000_000;
            row["@maxMemoryUsed"] = double.Parse(report.Groups["u"].Value, CultureInfo.InvariantCulture) * 1_000_000;
        }
        else
        {
            var id = RequestIdInLine().Match(e.Message);
            if (id.Success) row["@requestId"] = id.Value;
        }
        return row;
    }

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

    private static double? ToNumber(object? value) => value switch
    {
        double d => d,
        long l => l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

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

    /// <summary>Splits on '|' outside strings and regexes.</summary>
    private static IEnumerable<string> SplitCommands(string text)
    {
        var start = 0;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == '\\') i++;
                else if (c == q) quote = null;
            }
            else if (c is '"' or '\'' or '/' && (c != '/' || IsRegexStart(text, i))) quote = c;
            else if (c == '|')
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        if (quote is not null) throw new FormatException("A string or /regex/ in the query is not closed.");
        yield return text[start..];
    }

    private static bool IsRegexStart(string text, int i)
    {
        var j = i - 1;
        while (j >= 0 && char.IsWhiteSpace(text[j])) j--;
        if (j < 0) return false;
        var k = j;
        while (k >= 0 && char.IsAsciiLetter(text[k])) k--;
        var word = text[(k + 1)..(j + 1)];
        return word.Equals("like", StringComparison.OrdinalIgnoreCase) || text[j] is '~' or '(' or ',';
    }

    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }
        if (text.Trim().Length > 0) parts.Add(text[start..]);
        return parts;
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '"' or '\'' || (c == '/' && IsRegexStart(text, i)))
            {
                var start = i++;
                while (i < text.Length && text[i] != c)
                {
                    if (text[i] == '\\') i++;
                    i++;
                }
                if (i >= text.Length) throw new FormatException("A string or /regex/ in the filter is not closed.");
                i++;
                tokens.Add(text[start..i]);
            }
            else if (c is '(' or ')' or ',') { tokens.Add(c.ToString()); i++; }
            else if (c is '=' or '!' or '<' or '>')
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                if (two is "!=" or "<=" or ">=" or "=~" or "==") { tokens.Add(two); i += 2; }
                else { tokens.Add(c.ToString()); i++; }
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or ',' or '=' or '!' or '<' or '>')) i++;
                tokens.Add(text[start..i]);
            }
        }
        return tokens;
    }

    private sealed class Parser(List<string> tokens)
    {
        private int _i;

        public void ExpectEnd()
        {
            if (_i != tokens.Count) throw new FormatException($"Unexpected '{tokens[_i]}' in the filter.");
        }

        public Func<Row, bool> ParseExpression()
        {
            var left = And();
            while (Is("or"))
            {
                _i++;
                var right = And();
                var l = left;
                left = r => l(r) || right(r);
            }
            return left;
        }

        private Func<Row, bool> And()
        {
            var left = Not();
            while (Is("and"))
            {
                _i++;
                var right = Not();
                var l = left;
                left = r => l(r) && right(r);
            }
            return left;
        }

        private Func<Row, bool> Not()
        {
            if (Is("not"))
            {
                _i++;
                var inner = Not();
                return r => !inner(r);
            }
            if (Peek() == "(")
            {
                _i++;
                var inner = ParseExpression();
                Expect(")");
                return inner;
            }
            return Comparison();
        }

        private Func<Row, bool> Comparison()
        {
            var field = Next("a field");
            if (field.Equals("ispresent", StringComparison.OrdinalIgnoreCase))
            {
                Expect("(");
                var f = Next("a field");
                Expect(")");
                return r => r.GetValueOrDefault(f) is not null;
            }
            if (!FieldName().IsMatch(field)) throw new FormatException($"'{field}' is not a field name.");
            var negate = false;
            if (Is("not"))
            {
                _i++;
                negate = true;
            }
            var op = Next("an operator").ToLowerInvariant();
            var operand = Next("a value");
            Func<Row, bool> test;
            if (op is "like" or "=~")
            {
                var match = Matcher(operand);
                test = r => r.GetValueOrDefault(field) is { } v && match(Format(field, v));
            }
            else if (op is "=" or "==" or "!=" or "<" or ">" or "<=" or ">=")
            {
                if (negate) throw new FormatException("'not' goes before like, not before a comparison.");
                var literal = Literal(operand);
                test = r =>
                {
                    var value = r.GetValueOrDefault(field);
                    if (value is null) return op == "!=";
                    var cmp = literal is double d && ToNumber(value) is { } n ? n.CompareTo(d)
                        : string.CompareOrdinal(Format(field, value), Convert.ToString(literal, CultureInfo.InvariantCulture));
                    return op switch
                    {
                        "=" or "==" => cmp == 0,
                        "!=" => cmp != 0,
                        "<" => cmp < 0,
                        ">" => cmp > 0,
                        "<=" => cmp <= 0,
                        _ => cmp >= 0,
                    };
                };
            }
            else throw new FormatException($"The sandbox does not support the operator '{op}' in filters.");
            return negate ? r => !test(r) : test;
        }

        private static Func<string, bool> Matcher(string operand)
        {
            if (operand.Length >= 2 && operand[0] == '/')
            {
                var last = operand.LastIndexOf('/');
                var flags = operand[(last + 1)..];
                var regex = new Regex(operand[1..last], flags.Contains('i', StringComparison.Ordinal) ? RegexOptions.IgnoreCase : RegexOptions.None,
                    TimeSpan.FromMilliseconds(50));
                return s =>
                {
                    try
                    {
                        return regex.IsMatch(s);
                    }
                    catch (RegexMatchTimeoutException)
                    {
                        return false;
                    }
                };
            }
            var text = Literal(operand) as string ?? throw new FormatException("'like' takes a /regex/ or a \"string\".");
            return s => s.Contains(text, StringComparison.Ordinal);
        }

        private static object Literal(string token)
        {
            if (token.Length >= 2 && token[0] is '"' or '\'' && token[^1] == token[0]) return Regex.Unescape(token[1..^1]);
            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
            throw new FormatException($"'{token}' is not a string or a number.");
        }

        private string? Peek() => _i < tokens.Count ? tokens[_i] : null;
        private bool Is(string word) => Peek() is { } t && t.Equals(word, StringComparison.OrdinalIgnoreCase);

        private string Next(string what) => _i < tokens.Count ? tokens[_i++] : throw new FormatException($"The filter ends where {what} was expected.");

        private void Expect(string token)
        {
            if (Peek() != token) throw new FormatException($"Expected '{token}' in the filter.");
            _i++;
        }
    }

    private sealed class ValueComparer : IComparer<object?>
    {
        public static readonly ValueComparer Instance = new();

        public int Compare(object? x, object? y)
        {
            if (x is null || y is null) return x is null ? (y is null ? 0 : -1) : 1;
            if (ToNumber(x) is { } a && ToNumber(y) is { } b) return a.CompareTo(b);
            return string.CompareOrdinal(Convert.ToString(x, CultureInfo.InvariantCulture), Convert.ToString(y, CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"^REPORT RequestId: (?<id>[0-9a-f-]+)\tDuration: (?<d>[0-9.]+) ms\tBilled Duration: (?<b>[0-9.]+) ms\tMemory Size: (?<m>[0-9]+) MB\tMax Memory Used: (?<u>[0-9]+) MB")]
    private static partial Regex ReportLine();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex RequestIdInLine();

    [GeneratedRegex(@"^(?<fn>count|sum|avg|min|max)\s*\((?<arg>[^)]*)\)(\s+as\s+(?<as>[A-Za-z_@][A-Za-z0-9_.@]*))?$", RegexOptions.IgnoreCase)]
    private static partial Regex Aggregate();

    [GeneratedRegex(@"^bin\((?<n>[0-9]+)(?<u>[smhd])\)$")]
    private static partial Regex Bin();

    [GeneratedRegex(@"^[A-Za-z_@][A-Za-z0-9_.@]*$")]
    private static partial Regex FieldName();
}
