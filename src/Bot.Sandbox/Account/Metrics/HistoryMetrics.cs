namespace Bot.Sandbox.Account.Metrics;

/// <summary>
/// The hourly samples of the AWS/Lambda, AWS/DynamoDB and AWS/ApiGateway metrics for the history (see
/// <see cref="HistoryModel"/>): the same metric names, dimensions and statistics shape as the minute model's
/// (<see cref="MetricModel.Resolve"/>), one <see cref="Sample"/> per hour. Per-version Lambda metrics have no history.
/// </summary>
internal static class HistoryMetrics
{
    public static Func<long, Sample>? Hourly(SandboxAccount account, string ns, string name, IReadOnlyDictionary<string, string> dims)
    {
        var history = account.History;
        switch (ns)
        {
            case "AWS/Lambda" when dims.Count == 1 && dims.TryGetValue("FunctionName", out var fname) && account.Function(fname) is { } fn:
                return name switch
                {
                    "Invocations" => h => { var x = history.Function(fn, h); return new Sample(x.Count, x.Count, 1, 1); }
                    ,
                    "Errors" => h => { var x = history.Function(fn, h); return Sample.Rate(x.Errors, x.Count); }
                    ,
                    "Throttles" => _ => new Sample(0, 60, 0, 0),
                    "Duration" => h => { var x = history.Function(fn, h); return Sample.Measure(x.AverageMs, Math.Round(x.AverageMs * 0.35, 2), x.MaxMs, x.Count); }
                    ,
                    "ConcurrentExecutions" => h =>
                    {
                        var x = history.Function(fn, h);
                        var c = x.Count / 60 * x.AverageMs / 60000;
                        return new Sample(Math.Ceiling(c) * 60, 60, Math.Floor(c * 0.6), Math.Ceiling(c * 1.8));
                    }
                    ,
                    _ => null,
                };
            case "AWS/DynamoDB" when dims.Count == 0 && name == "UserErrors":
                return h => Gauge(account.Tables.Sum(t => history.Table(t, h).Errors));
            case "AWS/DynamoDB" when dims.TryGetValue("TableName", out var tname) && account.Table(tname) is { } table:
                var share = 1.0;
                if (dims.TryGetValue("Operation", out var operation))
                {
                    if (dims.Count != 2 || name != "SuccessfulRequestLatency") return name is "ThrottledRequests" or "SystemErrors" && dims.Count == 2 ? _ => Gauge(0) : null;
                    share = operation switch { "GetItem" => 0.35, "Query" => 0.30, "PutItem" => 0.15, "UpdateItem" => 0.15, "DeleteItem" => 0.05, _ => 0 };
                    if (share == 0) return null;
                }
                else if (dims.Count != 1) return null;
                return name switch
                {
                    "ConsumedReadCapacityUnits" => h => Gauge(history.Table(table, h).Read),
                    "ConsumedWriteCapacityUnits" => h => Gauge(history.Table(table, h).Write),
                    "ProvisionedReadCapacityUnits" when table.Provisioned => _ => new Sample(table.ReadCapacity * 60.0, 60, table.ReadCapacity, table.ReadCapacity),
                    "ProvisionedWriteCapacityUnits" when table.Provisioned => _ => new Sample(table.WriteCapacity * 60.0, 60, table.WriteCapacity, table.WriteCapacity),
                    "ThrottledRequests" or "ReadThrottleEvents" or "WriteThrottleEvents" or "SystemErrors" => _ => Gauge(0),
                    "UserErrors" => h => Gauge(history.Table(table, h).Errors),
                    "SuccessfulRequestLatency" => h =>
                    {
                        var x = history.Table(table, h);
                        return Sample.Measure(x.AverageMs, 1.2, x.MaxMs, Math.Round(x.Count * share));
                    }
                    ,
                    _ => null,
                };
            case "AWS/ApiGateway" when dims.TryGetValue("ApiName", out var api) && account.Environments.FirstOrDefault(e => SecureBaseCatalog.ApiName(e) == api) is { } env:
                if (dims.TryGetValue("Stage", out var stage) ? stage != "v1" || dims.Count != 2 : dims.Count != 1) return null;
                return name switch
                {
                    "Count" => h => { var a = history.Api(env, h); return new Sample(a.Count, a.Count, 1, 1); }
                    ,
                    "5XXError" => h => { var a = history.Api(env, h); return Sample.Rate(a.Errors, a.Count); }
                    ,
                    "4XXError" => h => { var a = history.Api(env, h); return Sample.Rate(a.Errors4xx, a.Count); }
                    ,
                    "Latency" => h => { var a = history.Api(env, h); return Sample.Measure(a.AverageMs, 9, a.MaxMs, a.Count); }
                    ,
                    "IntegrationLatency" => h => { var a = history.Api(env, h); return Sample.Measure(Math.Max(1, a.AverageMs - 15), 4, Math.Max(1, a.MaxMs - 15), a.Count); }
                    ,
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary>A per-minute counter summed over an hour: 60 datapoints with this sum.</summary>
    public static Sample Gauge(double sum) => new(sum, 60, sum / 60 * 0.6, sum / 60 * 1.5);
}
