using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Bot.Sandbox.Account;
using Bot.Sandbox.Account.Logs;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// CloudWatch Logs (AWS JSON 1.1, <c>Logs_20140328</c>): FilterLogEvents with filter patterns and
/// nextToken paging, StartQuery/GetQueryResults (Logs Insights; queries complete at once, or after
/// <see cref="SandboxOptions.QueryPollsBeforeComplete"/> polls), DescribeLogGroups.
/// Times are milliseconds since the epoch, except StartQuery's, which are seconds.
/// </summary>
internal sealed class LogsService(SandboxAccount account) : IJsonService
{
    private const int MaxQueries = 200;
    private const long MaxPageBytes = 1_048_576;
    private readonly ConcurrentDictionary<string, StoredQuery> _queries = new(StringComparer.Ordinal);
    private long _queryCount;

    private sealed record StoredQuery(long Number, List<InsightsQuery.Row> Rows, int Matched, int Scanned, long Bytes)
    {
        public int PollsLeft;
    }

    public string TargetPrefix => "Logs_20140328";
    public string SigningName => "logs";
    public WireProtocol Protocol => WireProtocol.Json11;
    public string ErrorNamespace => "";
    public string ValidationCode => "InvalidParameterException";
    public JsonSerializerOptions Json => SandboxJson.Camel;

    public bool Supports(string operation) => operation is "FilterLogEvents" or "StartQuery" or "GetQueryResults" or "DescribeLogGroups";

    public object Invoke(string operation, JsonInput input) => operation switch
    {
        "FilterLogEvents" => FilterLogEvents(input),
        "StartQuery" => StartQuery(input),
        "GetQueryResults" => GetQueryResults(input),
        _ => DescribeLogGroups(input),
    };

    private object FilterLogEvents(JsonInput input)
    {
        var name = input.String("logGroupName");
        var identifier = input.String("logGroupIdentifier");
        if (name is not null && identifier is not null)
            throw input.Invalid("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        var group = FindGroup(name ?? identifier ?? throw input.Invalid("Either logGroupName or logGroupIdentifier must be given."));
        var streams = input.Strings("logStreamNames");
        var streamPrefix = input.String("logStreamNamePrefix");
        if (streams.Count > 0 && streamPrefix is not null)
            throw input.Invalid("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
        var start = input.Long("startTime");
        var end = input.Long("endTime");
        if (start is < 0 || end is < 0) throw input.Invalid("startTime and endTime must not be negative.");
        if (start is { } s && end is { } e && e < s) throw input.Invalid("endTime must not be before startTime.");
        var limit = input.Int("limit") ?? 10000;
        if (limit is < 1 or > 10000) throw input.Invalid("1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value between 1 and 10000");
        FilterPattern pattern;
        try
        {
            pattern = FilterPattern.Parse(input.String("filterPattern"));
        }
        catch (FormatException ex)
        {
            throw new AwsException("InvalidParameterException", "Invalid filter pattern: " + ex.Message);
        }

        (long At, string Id)? after = null;
        if (input.String("nextToken") is { } token)
            after = ReadToken(token, group.Name) ?? throw new AwsException("InvalidParameterException", "The specified nextToken is not valid.");

        // A page ends at `limit` events or about 1 MB of messages, as CloudWatch Logs pages.
        var events = new List<LogEvent>();
        var more = false;
        var bytes = 0L;
        foreach (var ev in account.Logs.Events(group, start, end))
        {
            if (after is { } a && (ev.Timestamp < a.At || (ev.Timestamp == a.At && string.CompareOrdinal(ev.EventId, a.Id) <= 0))) continue;
            if (streams.Count > 0 && !streams.Contains(ev.LogStreamName)) continue;
            if (streamPrefix is not null && !ev.LogStreamName.StartsWith(streamPrefix, StringComparison.Ordinal)) continue;
            if (!pattern.Matches(ev.Message)) continue;
            if (events.Count == limit || bytes + ev.Message.Length + 26 > MaxPageBytes)
            {
                more = true;
                break;
            }
            events.Add(ev);
            bytes += ev.Message.Length + 26;
        }

        return new
        {
            Events = events.Select(ev => new
            {
                ev.LogStreamName,
                ev.Timestamp,
                ev.Message,
                ev.IngestionTime,
                ev.EventId,
            }).ToList(),
            SearchedLogStreams = Array.Empty<object>(),
            NextToken = more ? MakeToken(group.Name, events[^1]) : null,
        };
    }

    private object StartQuery(JsonInput input)
    {
        var language = input.String("queryLanguage") ?? "CWLI";
        if (language != "CWLI") throw new AwsException("InvalidParameterException", $"The sandbox runs Logs Insights (CWLI) queries only, not {language}.");
        var groups = new List<LogGroup>();
        if (input.String("logGroupName") is { } one) groups.Add(FindGroup(one));
        groups.AddRange(input.Strings("logGroupNames").Select(FindGroup));
        groups.AddRange(input.Strings("logGroupIdentifiers").Select(FindGroup));
        if (groups.Count == 0) throw input.Invalid("Query must specify log groups with logGroupName, logGroupNames or logGroupIdentifiers.");
        if (groups.Count > 50) throw input.Invalid("A query can search at most 50 log groups.");
        var start = input.Long("startTime") ?? throw input.Invalid("1 validation error detected: Value null at 'startTime' failed to satisfy constraint: Member must not be null");
        var end = input.Long("endTime") ?? throw input.Invalid("1 validation error detected: Value null at 'endTime' failed to satisfy constraint: Member must not be null");
        if (start < 0 || end < start) throw input.Invalid("endTime must be at or after startTime (both in seconds since the epoch).");
        var text = input.String("queryString") ?? throw input.Invalid("1 validation error detected: Value null at 'queryString' failed to satisfy constraint: Member must not be null");
        if (text.Length is 0 or > 10000) throw input.Invalid("queryString must have length between 1 and 10000.");
        var limit = input.Int("limit") ?? 1000;
        if (limit is < 1 or > 10000) throw input.Invalid("limit must be between 1 and 10000.");

        InsightsQuery query;
        try
        {
            query = InsightsQuery.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new AwsException("MalformedQueryException", ex.Message);
        }

        // Streamed: a month of REPORT lines is read once and never held in memory.
        var (scanned, bytes) = (0, 0L);
        var events = groups.Distinct()
            .SelectMany(g => account.Logs.Events(g, start * 1000, end * 1000 + 999))
            .Select(e =>
            {
                scanned++;
                bytes += e.Message.Length + 26;
                return e;
            });
        var (rows, matched) = query.Run(events, account.Options.AccountId, limit);
        var number = Interlocked.Increment(ref _queryCount);
        var id = Deterministic.Guid(account.Options.Seed, "query", number).ToString();
        _queries[id] = new StoredQuery(number, rows, matched, scanned, bytes)
        {
            PollsLeft = Math.Max(0, account.Options.QueryPollsBeforeComplete),
        };
        if (_queries.Count > MaxQueries)
            foreach (var old in _queries.Where(q => q.Value.Number <= number - MaxQueries).Select(q => q.Key).ToList())
                _queries.TryRemove(old, out _);
        return new { QueryId = id };
    }

    private object GetQueryResults(JsonInput input)
    {
        var id = input.String("queryId") ?? throw input.Invalid("1 validation error detected: Value null at 'queryId' failed to satisfy constraint: Member must not be null");
        if (!_queries.TryGetValue(id, out var q))
            throw new AwsException("ResourceNotFoundException", $"Query {id} does not exist.");
        if (Interlocked.Decrement(ref q.PollsLeft) >= 0)
            return new { QueryLanguage = "CWLI", Results = Array.Empty<object>(), Statistics = new { RecordsMatched = 0.0, RecordsScanned = (double)q.Scanned / 2, BytesScanned = (double)q.Bytes / 2 }, Status = "Running" };
        return new
        {
            QueryLanguage = "CWLI",
            Results = q.Rows.Select(r => r.Select(kv => new { Field = kv.Key, Value = InsightsQuery.Format(kv.Key, kv.Value) }).ToList()).ToList(),
            Statistics = new { RecordsMatched = (double)q.Matched, RecordsScanned = (double)q.Scanned, BytesScanned = (double)q.Bytes },
            Status = "Complete",
        };
    }

    private object DescribeLogGroups(JsonInput input)
    {
        var prefix = input.String("logGroupNamePrefix");
        var pattern = input.String("logGroupNamePattern");
        if (prefix is not null && pattern is not null)
            throw input.Invalid("logGroupNamePrefix and logGroupNamePattern are mutually exclusive parameters.");
        var limit = input.Int("limit") ?? 50;
        if (limit is < 1 or > 50) throw input.Invalid("limit must be between 1 and 50.");
        var offset = 0;
        if (input.String("nextToken") is { } token &&
            !(TryDecode(token, out var text) && text.StartsWith("groups:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(7), out offset) && offset >= 0))
            throw new AwsException("InvalidParameterException", "The specified nextToken is not valid.");
        var groups = account.Logs.Groups
            .Where(g => prefix is null || g.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Where(g => pattern is null || g.Name.Contains(pattern, StringComparison.OrdinalIgnoreCase))
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .ToList();
        var page = groups.Skip(offset).Take(limit).ToList();
        return new
        {
            LogGroups = page.Select(g => new
            {
                LogGroupName = g.Name,
                CreationTime = g.CreationTime,
                RetentionInDays = g.RetentionInDays,
                MetricFilterCount = 0,
                Arn = g.Arn + ":*",
                StoredBytes = account.Logs.StoredBytes(g),
                LogGroupClass = "STANDARD",
                LogGroupArn = g.Arn,
            }).ToList(),
            NextToken = offset + page.Count < groups.Count ? Encode($"groups:{offset + page.Count}") : null,
        };
    }

    private LogGroup FindGroup(string nameOrArn) =>
        account.Logs.Group(nameOrArn) ?? throw new AwsException("ResourceNotFoundException", "The specified log group does not exist.");

    private static string MakeToken(string group, LogEvent last) => Encode($"v1|{group}|{last.Timestamp}|{last.EventId}");

    private static (long, string)? ReadToken(string token, string group)
    {
        if (!TryDecode(token, out var text)) return null;
        var parts = text.Split('|');
        return parts.Length == 4 && parts[0] == "v1" && parts[1] == group && long.TryParse(parts[2], out var at) ? (at, parts[3]) : null;
    }

    private static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static bool TryDecode(string token, out string text)
    {
        text = "";
        if (token.Length > 2048) return false;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
