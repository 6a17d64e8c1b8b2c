using System.Globalization;
using System.Text.Json;
using Bot.Sandbox.Account.Metrics;

namespace Bot.Sandbox.Account.Alarms;

/// <summary>
/// The account's metric alarms (API 5xx and latency, function errors and throttles, table throttles per
/// environment), evaluated against the metric model the way CloudWatch does: the last N periods, M of them
/// breaching means ALARM. The time of the last state change is found by evaluating back through the last day.
/// </summary>
public sealed class AlarmBook
{
    private static readonly TimeSpan Lookback = TimeSpan.FromDays(1);
    private readonly SandboxAccount _account;

    internal AlarmBook(SandboxAccount account)
    {
        _account = account;
        Definitions = Build(account).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        Composites = CompositeAlarms.Build(account, Definitions);
    }

    public IReadOnlyList<AlarmDefinition> Definitions { get; }

    /// <summary>The composite alarms over <see cref="Definitions"/> (see <see cref="CompositeAlarms"/>).</summary>
    public IReadOnlyList<CompositeAlarmDefinition> Composites { get; }

    public CompositeAlarmState Evaluate(CompositeAlarmDefinition alarm) => CompositeAlarms.Evaluate(alarm, Evaluate);

    // Alarms look only at complete minutes, which never change, so a state holds for the rest of its minute.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Minute, AlarmState State)> _cache = new(StringComparer.Ordinal);

    public AlarmState Evaluate(AlarmDefinition alarm)
    {
        var minute = MetricModel.MinuteOf(_account.Time.GetUtcNow());
        if (_cache.TryGetValue(alarm.Name, out var cached) && cached.Minute == minute) return cached.State;
        var state = Compute(alarm);
        _cache[alarm.Name] = (minute, state);
        return state;
    }

    private AlarmState Compute(AlarmDefinition alarm)
    {
        var now = _account.Time.GetUtcNow();
        var series = _account.Metrics.Resolve(alarm.Namespace, alarm.MetricName, alarm.Dimensions);
        var periodMinutes = alarm.Period / 60;
        var windowMinutes = periodMinutes * alarm.EvaluationPeriods;
        var lastMinute = MetricModel.MinuteOf(now) - 1;           // the last complete minute
        // Baseline data never crosses a threshold, so the state can only have changed since the account first
        // departed from its baseline; look back that far (at most a day) for the last transition.
        var lookbackMinutes = _account.EarliestChange() is { } since
            ? (int)Math.Clamp((now - since).TotalMinutes + windowMinutes + periodMinutes, 0, Lookback.TotalMinutes)
            : 0;
        var firstMinute = lastMinute - lookbackMinutes - windowMinutes - periodMinutes;

        var samples = new Sample[lastMinute - firstMinute + 1];
        for (var i = 0; i < samples.Length; i++)
            samples[i] = series?.PerMinute(firstMinute + i) ?? Sample.None;

        // Evaluate at each minute boundary going back; the evaluation at "end" covers complete periods before it.
        (string State, List<(DateTimeOffset, double?)> Points) At(long endMinuteExclusive)
        {
            var points = new List<(DateTimeOffset, double?)>();
            var breaching = 0;
            var alignedEnd = endMinuteExclusive - (endMinuteExclusive % periodMinutes + periodMinutes) % periodMinutes;
            for (var k = 0; k < alarm.EvaluationPeriods; k++)
            {
                var periodEnd = alignedEnd - k * periodMinutes;
                var agg = Sample.None;
                for (var m = periodEnd - periodMinutes; m < periodEnd; m++)
                    agg = agg.Add(samples[m - firstMinute]);
                double? value = agg.IsEmpty && alarm.Statistic != "Sum" ? null : Statistics.Value(agg, alarm.Statistic);
                if (value is { } v && alarm.Breaches(v)) breaching++;
                points.Add((MetricModel.StartOf(periodEnd - periodMinutes), value));
            }
            return (breaching >= alarm.DatapointsToAlarm ? "ALARM" : "OK", points);
        }

        // Walk forward through the looked-back minutes, noting each change of state.
        var transitions = new List<AlarmTransition>();
        var previous = lookbackMinutes > 0 ? At(lastMinute + 1 - lookbackMinutes) : default;
        for (var step = lookbackMinutes - 1; step >= 0; step--)
        {
            var state = At(lastMinute + 1 - step);
            if (state.State != previous.State)
            {
                var at = MetricModel.StartOf(lastMinute + 1 - step).AddSeconds(12);
                var (why, whyData) = Explain(alarm, state.State, state.Points, at);
                transitions.Add(new AlarmTransition(at, previous.State, state.State, why, whyData));
            }
            previous = state;
        }

        var current = At(lastMinute + 1);
        var changedAt = transitions.Count > 0 ? transitions[^1].At
            : lookbackMinutes > 0 && current.State != "OK" ? MetricModel.StartOf(lastMinute + 1 - lookbackMinutes)   // in this state for the whole look-back
            : _account.Created.AddDays(-3).AddMinutes(-Deterministic.Unit(_account.Options.Seed, alarm.Name + ":stable", 0) * 600);
        if (changedAt > now) changedAt = now;

        var (reason, data) = Explain(alarm, current.State, current.Points, now);
        return new AlarmState(alarm, current.State, changedAt, now, reason, data, current.Points) { Transitions = transitions };
    }

    private static (string Reason, string Data) Explain(AlarmDefinition alarm, string state, List<(DateTimeOffset Start, double? Value)> points, DateTimeOffset now)
    {
        var present = points.Where(p => p.Value is not null).ToList();
        var breaching = present.Where(p => alarm.Breaches(p.Value!.Value)).ToList();
        string Fmt(double v) => v.ToString("0.0###", CultureInfo.InvariantCulture);
        string List(IEnumerable<(DateTimeOffset Start, double? Value)> ps) =>
            string.Join(", ", ps.Select(p => $"{Fmt(p.Value!.Value)} ({p.Start.UtcDateTime:dd/MM/yy HH:mm:ss})"));
        var threshold = Fmt(alarm.Threshold);
        var reason = state == "ALARM"
            ? $"Threshold Crossed: {breaching.Count} out of the last {alarm.EvaluationPeriods} datapoints [{List(breaching)}] were {alarm.ComparisonPhrase(true)} the threshold ({threshold}) (minimum {alarm.DatapointsToAlarm} datapoint{(alarm.DatapointsToAlarm == 1 ? "" : "s")} for OK -> ALARM transition)."
            : present.Count == 0
                ? $"Threshold Crossed: no datapoints were received for {alarm.EvaluationPeriods} period{(alarm.EvaluationPeriods == 1 ? "" : "s")} and {alarm.EvaluationPeriods} missing datapoint{(alarm.EvaluationPeriods == 1 ? " was" : "s were")} treated as [NonBreaching]."
                : $"Threshold Crossed: {present.Count} datapoint{(present.Count == 1 ? "" : "s")} [{List(present)}] {(present.Count == 1 ? "was" : "were")} {alarm.ComparisonPhrase(false)} the threshold ({threshold}).";
        var data = JsonSerializer.Serialize(new
        {
            version = "1.0",
            queryDate = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
            startDate = points[^1].Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
            statistic = alarm.Statistic,
            period = alarm.Period,
            recentDatapoints = present.Select(p => Math.Round(p.Value!.Value, 4)).ToArray(),
            threshold = alarm.Threshold,
        }, Protocols.SandboxJson.Plain);
        return (reason, data);
    }

    private static IEnumerable<AlarmDefinition> Build(SandboxAccount account)
    {
        var region = account.Options.Region;
        var acct = account.Options.AccountId;
        var configured = account.Created.AddDays(-30).AddHours(-3);
        string Arn(string name) => $"arn:aws:cloudwatch:{region}:{acct}:alarm:{name}";
        KeyValuePair<string, string> D(string k, string v) => new(k, v);
        foreach (var env in account.Environments)
        {
            var topic = $"arn:aws:sns:{region}:{acct}:securebase-{env}-alerts";
            IReadOnlyList<string> actions = env == "prod" ? [topic, $"arn:aws:sns:{region}:{acct}:securebase-prod-pagerduty"] : [topic];
            var api = SecureBaseCatalog.ApiName(env);
            yield return new AlarmDefinition($"{api}-5xx", Arn($"{api}-5xx"), $"5xx rate of {api} above 5% (3 of 5 minutes)",
                "AWS/ApiGateway", "5XXError", [D("ApiName", api)], "Average", 60, 5, 3, 0.05, "GreaterThanThreshold", "notBreaching", actions, [topic], configured);
            yield return new AlarmDefinition($"{api}-latency", Arn($"{api}-latency"), $"Average latency of {api} above 1 s for 15 minutes",
                "AWS/ApiGateway", "Latency", [D("ApiName", api)], "Average", 300, 3, 3, 1000, "GreaterThanThreshold", "notBreaching", actions, [topic], configured);
            foreach (var fn in account.Functions.Where(f => f.Environment == env))
            {
                yield return new AlarmDefinition($"{fn.Name}-errors", Arn($"{fn.Name}-errors"), $"Errors of {fn.Name} in 5 minutes",
                    "AWS/Lambda", "Errors", [D("FunctionName", fn.Name)], "Sum", 300, 1, 1, 5,
                    "GreaterThanOrEqualToThreshold", "notBreaching", actions, [topic], configured);
                yield return new AlarmDefinition($"{fn.Name}-throttles", Arn($"{fn.Name}-throttles"), $"Throttled invocations of {fn.Name}",
                    "AWS/Lambda", "Throttles", [D("FunctionName", fn.Name)], "Sum", 300, 1, 1, 1,
                    "GreaterThanOrEqualToThreshold", "notBreaching", actions, [topic], configured);
            }
            foreach (var table in account.Tables.Where(t => t.Environment == env))
            {
                yield return new AlarmDefinition($"{table.Name}-throttles", Arn($"{table.Name}-throttles"), $"Throttled requests on {table.Name} for 2 minutes",
                    "AWS/DynamoDB", "ThrottledRequests", [D("TableName", table.Name)], "Sum", 60, 2, 2, 0,
                    "GreaterThanThreshold", "notBreaching", actions, [topic], configured);
            }
        }
    }
}
