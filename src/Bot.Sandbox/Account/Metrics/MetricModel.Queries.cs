using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Account.Lambda;

namespace Bot.Sandbox.Account.Metrics;

/// <summary>Which series a CloudWatch metric query names: namespace, metric name and dimensions to a minute-by-minute sample.</summary>
public sealed partial class MetricModel
{
    /// <summary>The series for a metric query, or null when the account publishes no such metric (CloudWatch then answers with no data).</summary>
    public MetricSeries? Resolve(string ns, string metricName, IReadOnlyList<KeyValuePair<string, string>> dimensions)
    {
        var dims = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in dimensions)
            if (!dims.TryAdd(k, v)) return null;
        // Per-index capacity, the reports buckets' storage and the capacity job's daily table sizes.
        if (ReviewMetrics.Resolve(_account, ns, metricName, dims) is { } review)
            return new MetricSeries(ns, metricName, dimensions, review.Unit, review.PerMinute, review.PerHour);
        Func<long, Sample>? perMinute = null;
        var unit = "Count";
        switch (ns)
        {
            case "AWS/Lambda":
                perMinute = LambdaMetric(metricName, dims, ref unit);
                break;
            case "AWS/DynamoDB":
                perMinute = DynamoMetric(metricName, dims, ref unit);
                break;
            case "AWS/ApiGateway":
                perMinute = ApiMetric(metricName, dims, ref unit);
                break;
        }
        return perMinute is null ? null : new MetricSeries(ns, metricName, dimensions, unit, perMinute, HistoryMetrics.Hourly(_account, ns, metricName, dims));
    }

    private Func<long, Sample>? LambdaMetric(string name, Dictionary<string, string> dims, ref string unit)
    {
        if (!dims.TryGetValue("FunctionName", out var fname) || _account.Function(fname) is not { } fn) return null;
        string? version = null;
        if (dims.TryGetValue("Resource", out var resource))
        {
            var qualifier = resource == fn.Name ? null : resource.StartsWith(fn.Name + ":", StringComparison.Ordinal) ? resource[(fn.Name.Length + 1)..] : "!";
            if (qualifier == "!") return null;
            if (qualifier is not null && !fn.Aliases.ContainsKey(qualifier)) version = qualifier;
            if (dims.TryGetValue("ExecutedVersion", out var executed))
            {
                if (qualifier is null || !fn.Aliases.ContainsKey(qualifier)) return null;
                version = executed;
            }
            else if (dims.Count != 2) return null;
        }
        else if (dims.Count != 1) return null;

        Func<long, (int Inv, int Err, FunctionMinute M)> pick = version is null
            ? m => { var f = Function(fn, m); return (f.Invocations, f.Errors, f); }
        : m =>
        {
            var f = Function(fn, m);
            var v = f.ByVersion.FirstOrDefault(x => x.Version == version);
            return (v?.Invocations ?? 0, v?.Errors ?? 0, f);
        };

        switch (name)
        {
            case "Invocations": return m => { var x = pick(m); return x.Inv > 0 ? new Sample(x.Inv, x.Inv, 1, 1) : Sample.Counter(0); };
            case "Errors": return m => { var x = pick(m); return x.Inv > 0 ? Sample.Rate(x.Err, x.Inv) : Sample.Counter(0); };
            case "Throttles": return m => Sample.Counter(version is null ? pick(m).M.Throttles : 0);
            case "Duration":
                unit = "Milliseconds";
                return m =>
                {
                    var x = pick(m);
                    return Sample.Measure(x.M.AverageDurationMs, Math.Round(x.M.AverageDurationMs * 0.35, 2), x.M.MaxDurationMs, x.Inv);
                };
            case "ConcurrentExecutions":
                return m => { var x = pick(m); return Sample.Counter(Math.Ceiling(x.Inv * x.M.AverageDurationMs / 60000.0)); };
            default: return null;
        }
    }

    private Func<long, Sample>? DynamoMetric(string name, Dictionary<string, string> dims, ref string unit)
    {
        if (dims.Count == 0)
        {
            if (name != "UserErrors") return null;
            var tables = _account.Tables;
            return m => Sample.Counter(tables.Sum(t => Table(t, m).UserErrors));
        }
        if (!dims.TryGetValue("TableName", out var tname) || _account.Table(tname) is not { } table) return null;
        var share = 1.0;
        if (dims.TryGetValue("Operation", out var operation))
        {
            if (dims.Count != 2 || name is not ("ThrottledRequests" or "SuccessfulRequestLatency" or "SystemErrors")) return null;
            var op = TableOperations.FirstOrDefault(o => o.Operation == operation);
            if (op.Operation is null) return null;
            share = op.Share;
        }
        else if (dims.Count != 1) return null;

        switch (name)
        {
            case "ConsumedReadCapacityUnits": return m => Sample.Counter(Table(table, m).ReadCapacity);
            case "ConsumedWriteCapacityUnits": return m => Sample.Counter(Table(table, m).WriteCapacity);
            case "ProvisionedReadCapacityUnits": return table.Provisioned ? _ => Sample.Counter(table.ReadCapacity) : null;
            case "ProvisionedWriteCapacityUnits": return table.Provisioned ? _ => Sample.Counter(table.WriteCapacity) : null;
            case "ThrottledRequests": return m => Sample.Counter(Math.Round(Table(table, m).Throttled * share));
            case "ReadThrottleEvents": return m => Sample.Counter(Math.Round(Table(table, m).Throttled * table.Profile.ReadFraction));
            case "WriteThrottleEvents": return m => Sample.Counter(Table(table, m).Throttled - Math.Round(Table(table, m).Throttled * table.Profile.ReadFraction));
            case "UserErrors": return m => Sample.Counter(Table(table, m).UserErrors);
            case "SystemErrors": return _ => Sample.Counter(0);
            case "SuccessfulRequestLatency":
                unit = "Milliseconds";
                return m =>
                {
                    var t = Table(table, m);
                    return Sample.Measure(t.LatencyMs, 1.2, Math.Round(t.LatencyMs * 3, 2), Math.Round(t.Requests * share));
                };
            default: return null;
        }
    }

    private Func<long, Sample>? ApiMetric(string name, Dictionary<string, string> dims, ref string unit)
    {
        if (!dims.TryGetValue("ApiName", out var api)) return null;
        var env = _account.Environments.FirstOrDefault(e => SecureBaseCatalog.ApiName(e) == api);
        if (env is null) return null;
        if (dims.TryGetValue("Stage", out var stage) ? stage != "v1" || dims.Count != 2 : dims.Count != 1) return null;
        switch (name)
        {
            case "Count": return m => { var a = Api(env, m); return a.Count > 0 ? new Sample(a.Count, a.Count, 1, 1) : Sample.Counter(0); };
            case "5XXError": return m => { var a = Api(env, m); return Sample.Rate(a.Errors5xx, a.Count); };
            case "4XXError": return m => { var a = Api(env, m); return Sample.Rate(a.Errors4xx, a.Count); };
            case "Latency":
                unit = "Milliseconds";
                return m => { var a = Api(env, m); return Sample.Measure(a.AverageLatencyMs, 9, a.MaxLatencyMs, a.Count); };
            case "IntegrationLatency":
                unit = "Milliseconds";
                return m => { var a = Api(env, m); return Sample.Measure(Math.Max(1, a.AverageLatencyMs - 15), 4, Math.Max(1, a.MaxLatencyMs - 15), a.Count); };
            default: return null;
        }
    }
}
