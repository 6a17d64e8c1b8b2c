using System.Text.Json;
using System.Text.RegularExpressions;
using Bot.Sandbox.Account;
using Bot.Sandbox.Account.Alarms;
using Bot.Sandbox.Account.Metrics;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// CloudWatch (AWS JSON 1.0, query-compatible, <c>GraniteServiceVersion20100801</c>, and the query protocol
/// through <see cref="QueryInput"/> and <see cref="QueryXmlWriter"/>): GetMetricData, GetMetricStatistics,
/// DescribeAlarms and DescribeAlarmHistory (state changes of the last day). Timestamps are epoch seconds in JSON.
/// </summary>
internal sealed partial class CloudWatchService(SandboxAccount account) : IJsonService
{
    private const int MaxMinutesPerCall = 2_000_000;

    public string TargetPrefix => "GraniteServiceVersion20100801";
    public string SigningName => "monitoring";
    public WireProtocol Protocol => WireProtocol.QueryCompatibleJson10;
    public string ErrorNamespace => "com.amazonaws.cloudwatch#";
    public string ValidationCode => "InvalidParameterValueException";
    public JsonSerializerOptions Json => SandboxJson.Pascal;

    public bool Supports(string operation) => operation is "GetMetricData" or "GetMetricStatistics" or "DescribeAlarms" or "DescribeAlarmHistory"
        or "ListDashboards" or "GetDashboard" or "GetMetricWidgetImage";

    public object Invoke(string operation, JsonInput input) => operation switch
    {
        "GetMetricData" => GetMetricData(input),
        "GetMetricStatistics" => GetMetricStatistics(input),
        "DescribeAlarmHistory" => DescribeAlarmHistory(input),
        "ListDashboards" => ListDashboards(input),
        "GetDashboard" => GetDashboard(input),
        "GetMetricWidgetImage" => GetMetricWidgetImage(input),
        _ => DescribeAlarms(input),
    };

    private object GetMetricData(JsonInput input)
    {
        var queries = input.Objects("MetricDataQueries");
        if (queries.Count == 0) throw Missing("MetricDataQueries");
        if (queries.Count > 500) throw Invalid("The collection MetricDataQueries must not have a size greater than 500.");
        var start = input.Timestamp("StartTime") ?? throw Missing("StartTime");
        var end = input.Timestamp("EndTime") ?? throw Missing("EndTime");
        if (start >= end) throw Invalid("The parameter StartTime must be less than the parameter EndTime.");
        var maxDatapoints = input.Int("MaxDatapoints") ?? 100_800;
        if (maxDatapoints < 1) throw Invalid("The parameter MaxDatapoints must be greater than 0.");
        var offset = 0;
        if (input.String("NextToken") is { } token && !TryReadToken(token, "data", out offset))
            throw new AwsException("InvalidNextToken", "The service returned an invalid next token.");
        var ascending = (input.String("ScanBy") ?? "TimestampDescending") switch
        {
            "TimestampAscending" => true,
            "TimestampDescending" => false,
            var other => throw Invalid($"The value {other} for parameter ScanBy is not valid."),
        };

        var now = account.Time.GetUtcNow();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var values = new Dictionary<string, SortedDictionary<long, double>>(StringComparer.Ordinal);
        var expressions = new List<(JsonInput Query, string Id)>();
        var order = new List<(string Id, string Label, bool Return)>();
        var requestedMinutes = queries.Count(q => q.Has("MetricStat")) * Math.Min((end - start).TotalMinutes, MetricModel.Retention.TotalMinutes);
        if (requestedMinutes > MaxMinutesPerCall)
            throw Invalid($"The sandbox computes at most {MaxMinutesPerCall:N0} metric-minutes per GetMetricData call; narrow the time range or send fewer queries.");

        for (var i = 0; i < queries.Count; i++)
        {
            var q = queries[i];
            var id = q.String("Id") ?? throw Missing($"MetricDataQueries.member.{i + 1}.Id");
            if (!QueryId().IsMatch(id)) throw Invalid($"The value {id} for parameter MetricDataQueries.member.{i + 1}.Id is not valid: it must start with a lowercase letter and contain only letters, digits and underscores.");
            if (!ids.Add(id)) throw Invalid($"The value {id} for parameter MetricDataQueries.member.{i + 1}.Id is not unique.");
            var stat = q.Object("MetricStat");
            var expression = q.String("Expression");
            if (stat is null == expression is null)
                throw Invalid($"Exactly one of MetricStat and Expression must be given in MetricDataQueries.member.{i + 1}.");
            var returnData = q.Bool("ReturnData") ?? true;
            if (stat is { } ms)
            {
                var metric = ms.Object("Metric") ?? throw Missing($"MetricDataQueries.member.{i + 1}.MetricStat.Metric");
                var (ns, name, dims) = ReadMetric(metric);
                var period = ms.Int("Period") ?? q.Int("Period") ?? throw Missing($"MetricDataQueries.member.{i + 1}.MetricStat.Period");
                CheckPeriod(period);
                var statistic = ms.String("Stat") ?? throw Missing($"MetricDataQueries.member.{i + 1}.MetricStat.Stat");
                if (!Statistics.IsValid(statistic)) throw Invalid($"The value {statistic} for parameter MetricDataQueries.member.{i + 1}.MetricStat.Stat is not a valid statistic.");
                var points = new SortedDictionary<long, double>();
                if (account.Metrics.Resolve(ns, name, dims) is { } series)
                    foreach (var (at, sample) in MetricAggregator.Aggregate(series, start, end, period, now))
                        points[at.ToUnixTimeSeconds()] = Statistics.Value(sample, statistic);
                values[id] = points;
                order.Add((id, q.String("Label") ?? name, returnData));
            }
            else
            {
                expressions.Add((q, id));
                order.Add((id, q.String("Label") ?? id, returnData));
            }
        }

        foreach (var (q, id) in expressions)
        {
            var evaluate = MetricExpression.Parse(q.String("Expression")!, out var refs);
            foreach (var r in refs)
                if (!values.ContainsKey(r) && expressions.All(e => e.Id != r))
                    throw Invalid($"The expression of {id} refers to {r}, which is not a query id.");
                else if (!values.ContainsKey(r))
                    throw Invalid($"The expression of {id} refers to the expression {r}; the sandbox evaluates expressions over metric queries only.");
            var timestamps = refs.Count == 0 ? values.Values.SelectMany(v => v.Keys).Distinct() : values[refs.First()].Keys;
            var points = new SortedDictionary<long, double>();
            foreach (var t in timestamps)
            {
                var v = evaluate(name => values[name].TryGetValue(t, out var x) ? x : null);
                if (v is { } d && double.IsFinite(d)) points[t] = d;
            }
            values[id] = points;
        }

        // Datapoints are numbered across the returned results in order; a page holds MaxDatapoints of them.
        var results = new List<object>();
        var index = 0;
        foreach (var o in order.Where(o => o.Return))
        {
            var all = ascending ? values[o.Id].ToList() : values[o.Id].Reverse().ToList();
            var from = Math.Clamp(offset - index, 0, all.Count);
            var to = Math.Clamp(offset + maxDatapoints - index, 0, all.Count);
            index += all.Count;
            if (to <= from && !(all.Count == 0 && offset == 0)) continue;
            var points = all.GetRange(from, to - from);
            results.Add(new
            {
                Id = o.Id,
                Label = o.Label,
                Timestamps = points.Select(p => (double)p.Key).ToArray(),
                Values = points.Select(p => Math.Round(p.Value, 6)).ToArray(),
                StatusCode = to < all.Count ? "PartialData" : "Complete",
                Messages = Array.Empty<object>(),
            });
        }
        return new
        {
            MetricDataResults = results,
            NextToken = offset + maxDatapoints < index ? MakeToken("data", offset + maxDatapoints) : null,
            Messages = Array.Empty<object>(),
        };
    }

    private object GetMetricStatistics(JsonInput input)
    {
        var ns = input.String("Namespace") ?? throw Missing("Namespace");
        var name = input.String("MetricName") ?? throw Missing("MetricName");
        var dims = ReadDimensions(input);
        var start = input.Timestamp("StartTime") ?? throw Missing("StartTime");
        var end = input.Timestamp("EndTime") ?? throw Missing("EndTime");
        var period = input.Int("Period") ?? throw Missing("Period");
        CheckPeriod(period);
        if (start >= end) throw Invalid("The parameter StartTime must be less than the parameter EndTime.");
        var statistics = input.Strings("Statistics");
        var extended = input.Strings("ExtendedStatistics");
        if (statistics.Count == 0 == (extended.Count == 0))
            throw new AwsException("InvalidParameterCombinationException", "Must specify either Statistics or ExtendedStatistics, but not both.");
        foreach (var s in statistics)
            if (s is not ("Sum" or "Average" or "Minimum" or "Maximum" or "SampleCount")) throw Invalid($"The value {s} for parameter Statistics is not a valid statistic.");
        foreach (var s in extended)
            if (!Statistics.IsValid(s) || !s.StartsWith('p')) throw Invalid($"The value {s} for parameter ExtendedStatistics is not a valid extended statistic.");
        var requested = (end - start).TotalSeconds / period;
        if (requested > 1440)
            throw new AwsException("InvalidParameterCombinationException",
                $"You have requested up to {Math.Ceiling(requested)} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.");

        var series = account.Metrics.Resolve(ns, name, dims);
        var points = series is null ? [] : MetricAggregator.Aggregate(series, start, end, period, account.Time.GetUtcNow());
        return new
        {
            Label = name,
            Datapoints = points.Select(p => new
            {
                Timestamp = SandboxJson.EpochSeconds(p.Start),
                SampleCount = statistics.Contains("SampleCount") ? p.Sample.Count : (double?)null,
                Average = statistics.Contains("Average") ? Math.Round(p.Sample.Average, 6) : (double?)null,
                Sum = statistics.Contains("Sum") ? p.Sample.Sum : (double?)null,
                Minimum = statistics.Contains("Minimum") ? p.Sample.Min : (double?)null,
                Maximum = statistics.Contains("Maximum") ? p.Sample.Max : (double?)null,
                Unit = series!.Unit,
                ExtendedStatistics = extended.Count == 0 ? null : extended.ToDictionary(s => s, s => Math.Round(Statistics.Value(p.Sample, s), 6)),
            }).ToList(),
        };
    }

    private (string Namespace, string Name, IReadOnlyList<KeyValuePair<string, string>> Dimensions) ReadMetric(JsonInput metric)
    {
        var ns = metric.String("Namespace") ?? throw Missing("Metric.Namespace");
        var name = metric.String("MetricName") ?? throw Missing("Metric.MetricName");
        return (ns, name, ReadDimensions(metric));
    }

    private IReadOnlyList<KeyValuePair<string, string>> ReadDimensions(JsonInput input)
    {
        var dims = input.Objects("Dimensions");
        if (dims.Count > 30) throw Invalid("The collection Dimensions must not have a size greater than 30.");
        return dims.Select(d => new KeyValuePair<string, string>(
            d.String("Name") ?? throw Missing("Dimensions.member.Name"),
            d.String("Value") ?? throw Missing("Dimensions.member.Value"))).ToList();
    }

    private static void CheckPeriod(int period)
    {
        if (period < 60 || period % 60 != 0)
            throw new AwsException("InvalidParameterValueException", $"The parameter Period must be a multiple of 60 (the sandbox keeps one-minute data), got {period}.");
    }

    private static string MakeToken(string kind, int offset) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{kind}:{offset}"));

    private static bool TryReadToken(string token, string kind, out int offset)
    {
        offset = 0;
        if (token.Length > 256) return false;
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith(kind + ":", StringComparison.Ordinal) && int.TryParse(text.AsSpan(kind.Length + 1), out offset) && offset >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static AwsException Missing(string name) =>
        new("MissingRequiredParameterException", $"The parameter {name} is required.");

    private static AwsException Invalid(string message) => new("InvalidParameterValueException", message);

    [GeneratedRegex("^[a-z][a-zA-Z0-9_]*$")]
    private static partial Regex QueryId();
}
