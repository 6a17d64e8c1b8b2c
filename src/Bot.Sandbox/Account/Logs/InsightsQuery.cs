using System.Globalization;
using System.Text.RegularExpressions;

namespace Bot.Sandbox.Account.Logs;

/// <summary>
/// A small CloudWatch Logs Insights engine: <c>fields</c>/<c>display</c>, <c>filter</c> (like /regex/,
/// like "text", =, !=, &lt;, &gt;, and/or/not, ispresent), <c>sort</c>, <c>limit</c> and <c>stats</c>
/// (count, count_distinct, sum, avg, min, max, stddev, pct, by fields and <c>bin(5m)</c>). Discovered fields: @timestamp, @message,
/// @logStream, @log, @ingestionTime, and for Lambda @requestId, @type, @duration, @billedDuration,
/// @memorySize, @maxMemoryUsed and (on cold starts) @initDuration from REPORT lines.
/// </summary>
public sealed partial class InsightsQuery
{
    private readonly List<(bool IsFilter, Func<IEnumerable<Row>, IEnumerable<Row>> Run)> _stages = [];
    private int? _limitStage;
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
                    query._stages.Add((true, rows => rows.Where(predicate)));
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
                    query._limitStage ??= n;
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

    /// <summary>
    /// Runs the query over the events (streamed: the leading filters and <c>stats</c> read one event at a time, so a month
    /// of a busy log group never sits in memory); returns the result rows and how many events matched the filters.
    /// </summary>
    public (List<Row> Rows, int Matched) Run(IEnumerable<LogEvent> events, string accountId, int limit)
    {
        var matched = 0;
        var leading = _stages.TakeWhile(s => s.IsFilter).Count();
        IEnumerable<Row> rows = events.Select(e => ToRow(e, accountId));
        foreach (var (_, run) in _stages.Take(leading)) rows = run(rows);
        rows = Counted(rows, () => matched++);
        var rest = _stages.Skip(leading).ToList();
        List<Row> list;
        if (!_aggregated && !_sorted && rest.All(s => !s.IsFilter))
        {
            // The default order, newest first: only the newest rows that can be shown are kept.
            var keep = Math.Min(limit, _limitStage ?? limit);
            var newest = new PriorityQueue<Row, long>();
            foreach (var row in rows)
            {
                newest.Enqueue(row, (long)row["@timestamp"]!);
                if (newest.Count > keep) newest.Dequeue();
            }
            list = [];
            while (newest.Count > 0) list.Add(newest.Dequeue());
            list.Reverse();
        }
        else
        {
            if (!_aggregated && !_sorted) rows = rows.OrderByDescending(r => r["@timestamp"], ValueComparer.Instance);
            foreach (var (_, run) in rest) rows = run(rows);
            list = rows.ToList();
        }
        var output = list.Take(limit).Select(r =>
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

    private static IEnumerable<Row> Counted(IEnumerable<Row> rows, Action count)
    {
        foreach (var row in rows)
        {
            count();
            yield return row;
        }
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
        var report = e.Message.StartsWith("REPORT ", StringComparison.Ordinal) ? ReportLine().Match(e.Message) : Match.Empty;
        if (report.Success)
        {
            row["@type"] = "REPORT";
            row["@requestId"] = report.Groups["id"].Value;
            row["@duration"] = double.Parse(report.Groups["d"].Value, CultureInfo.InvariantCulture);
            row["@billedDuration"] = double.Parse(report.Groups["b"].Value, CultureInfo.InvariantCulture);
            row["@memorySize"] = double.Parse(report.Groups["m"].Value, CultureInfo.InvariantCulture) * 1_000_000;
            row["@maxMemoryUsed"] = double.Parse(report.Groups["u"].Value, CultureInfo.InvariantCulture) * 1_000_000;
            if (report.Groups["i"].Success) row["@initDuration"] = double.Parse(report.Groups["i"].Value, CultureInfo.InvariantCulture);
        }
        else
        {
            var id = RequestIdInLine().Match(e.Message);
            if (id.Success) row["@requestId"] = id.Value;
        }
        return row;
    }

    private static double? ToNumber(object? value) => value switch
    {
        double d => d,
        long l => l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

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

    [GeneratedRegex(@"^REPORT RequestId: (?<id>[0-9a-f-]+)\tDuration: (?<d>[0-9.]+) ms\tBilled Duration: (?<b>[0-9.]+) ms\tMemory Size: (?<m>[0-9]+) MB\tMax Memory Used: (?<u>[0-9]+) MB(\tInit Duration: (?<i>[0-9.]+) ms)?")]
    private static partial Regex ReportLine();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex RequestIdInLine();

    [GeneratedRegex(@"^[A-Za-z_@][A-Za-z0-9_.@]*$")]
    private static partial Regex FieldName();
}
