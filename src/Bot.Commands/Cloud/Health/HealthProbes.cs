using System.Globalization;
using Bot.Integrations.Aws;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.Aws.DynamoDb;
using Bot.Integrations.Aws.Lambda;
using Bot.Integrations.Aws.Logs;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud.Health;

/// <summary>
/// The daily health check of the ops guide, one probe per area: tables, functions, error logs,
/// alarms, Lambda errors and throttles, DynamoDB throttling, API Gateway 5xx. Inside a probe the
/// calls for each resource also run in parallel.
/// </summary>
public sealed class HealthProbes(
    IDynamoDbTables dynamo,
    ILambdaClient lambda,
    ICloudWatchLogsClient logs,
    ICloudWatchClient cloudWatch,
    TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private const int MaxErrorEventsCounted = 1000;

    public const string TablesArea = "DynamoDB tables";
    public const string FunctionsArea = "Lambda functions";
    public const string ErrorLogsArea = "Error logs (last hour)";
    public const string AlarmsArea = "Alarms";
    public const string LambdaMetricsArea = "Lambda errors & throttles";
    public const string DynamoThrottlingArea = "DynamoDB throttling";
    public const string ApiGatewayArea = "API Gateway 5xx";

    public IReadOnlyList<HealthProbe> For(SecureBaseEnvironment env) =>
    [
        new(TablesArea, ct => TablesAsync(env, ct)),
        new(FunctionsArea, ct => FunctionsAsync(env, ct)),
        new(ErrorLogsArea, ct => ErrorLogsAsync(env, ct)),
        new(AlarmsArea, ct => AlarmsAsync(env, ct)),
        new(LambdaMetricsArea, ct => LambdaMetricsAsync(env, ct)),
        new(DynamoThrottlingArea, ct => DynamoThrottlingAsync(env, ct)),
        new(ApiGatewayArea, ct => ApiGateway5xxAsync(env, ct)),
    ];

    private async Task<ProbeResult> TablesAsync(SecureBaseEnvironment env, CancellationToken ct)
    {
        var checks = await Task.WhenAll(env.Tables.Select(async table =>
        {
            try
            {
                var t = await dynamo.DescribeTableAsync(table, ct);
                var ok = t.Status == "ACTIVE";
                return (Ok: ok, Missing: false, Line: Line.Of(ok ? "✅ " : "⚠️ ", Code(table), " ", Echo(t.Status, 40), $", {t.ItemCount.ToString("N0", CultureInfo.InvariantCulture)} items"));
            }
            catch (AwsServiceException e) when (e.Kind == AwsErrorKind.NotFound)
            {
                return (Ok: false, Missing: true, Line: Line.Of("❌ ", Code(table), " not found"));
            }
        }));
        var details = checks.Select(c => c.Line).ToList();
        var active = checks.Count(c => c.Ok);
        if (checks.Any(c => c.Missing)) return ProbeResult.Failed(TablesArea, $"{checks.Count(c => c.Missing)} of {checks.Length} tables not found", details);
        if (active < checks.Length) return ProbeResult.Warning(TablesArea, $"{checks.Length - active} of {checks.Length} tables not ACTIVE", details);
        return ProbeResult.Ok(TablesArea, $"all {checks.Length} tables ACTIVE", details);
    }

    private async Task<ProbeResult> FunctionsAsync(SecureBaseEnvironment env, CancellationToken ct)
    {
        var checks = await Task.WhenAll(env.Functions.Select(async function =>
        {
            try
            {
                var f = await lambda.GetFunctionConfigurationAsync(function, null, ct);
                var state = Echo(f?.State ?? "Unknown", 40).Text;
                var update = Echo(f?.LastUpdateStatus, 40).Text;
                var ok = state == "Active" && update is "" or "Successful";
                var modified = f?.LastModifiedTime is { } m ? $", last modified {Ago(m)}" : "";
                var updateNote = update is "" or "Successful" ? "" : $" (last update {update})";
                return (Status: ok ? ProbeStatus.Ok : state == "Failed" || update == "Failed" ? ProbeStatus.Failed : ProbeStatus.Warning,
                    Line: Line.Of(ok ? "✅ " : "⚠️ ", Code(function), $" {state}{updateNote}{modified}"));
            }
            catch (AwsServiceException e) when (e.Kind == AwsErrorKind.NotFound)
            {
                return (Status: ProbeStatus.Failed, Line: Line.Of("❌ ", Code(function), " not found"));
            }
        }));
        var details = checks.Select(c => c.Line).ToList();
        var bad = checks.Count(c => c.Status != ProbeStatus.Ok);
        if (checks.Any(c => c.Status == ProbeStatus.Failed)) return ProbeResult.Failed(FunctionsArea, $"{bad} of {checks.Length} functions not healthy", details);
        if (bad > 0) return ProbeResult.Warning(FunctionsArea, $"{bad} of {checks.Length} functions not Active", details);
        return ProbeResult.Ok(FunctionsArea, $"all {checks.Length} functions Active", details);
    }

    private async Task<ProbeResult> ErrorLogsAsync(SecureBaseEnvironment env, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var counts = await Task.WhenAll(env.Functions.Select(async function =>
        {
            try
            {
                var found = await logs.FilterAllLogEventsAsync(new FilterLogEventsRequest
                {
                    LogGroupName = env.LogGroupOf(function),
                    StartTime = (now - Window).ToUnixTimeMilliseconds(),
                    EndTime = now.ToUnixTimeMilliseconds(),
                    FilterPattern = "ERROR",
                }, MaxErrorEventsCounted, ct);
                return (Function: function, Count: found.Events.Count, More: found.Truncated, Missing: false);
            }
            catch (AwsServiceException e) when (e.Kind == AwsErrorKind.NotFound)
            {
                return (Function: function, Count: 0, More: false, Missing: true);
            }
        }));
        var total = counts.Sum(c => c.Count);
        var details = counts
            .OrderByDescending(c => c.Count)
            .Select(c => c.Missing
                ? Line.Of("⚠️ ", Code(c.Function), ": log group ", Code(env.LogGroupOf(c.Function)), " not found")
                : Line.Of(c.Count == 0 ? "✅ " : "⚠️ ", Code(c.Function), $": {c.Count}{(c.More ? "+" : "")} ERROR lines"))
            .ToList();
        if (total > 0)
            return ProbeResult.Warning(ErrorLogsArea, $"{total}{(counts.Any(c => c.More) ? "+" : "")} ERROR lines in {counts.Count(c => c.Count > 0)} of {counts.Length} functions", details);
        if (counts.Any(c => c.Missing))
            return ProbeResult.Warning(ErrorLogsArea, $"{counts.Count(c => c.Missing)} log groups not found", details);
        return ProbeResult.Ok(ErrorLogsArea, $"no ERROR lines in {counts.Length} log groups", details);
    }

    private async Task<ProbeResult> AlarmsAsync(SecureBaseEnvironment env, CancellationToken ct)
    {
        var response = await cloudWatch.DescribeAlarmsAsync(new DescribeAlarmsRequest { AlarmNamePrefix = env.AlarmPrefix, StateValue = "ALARM" }, ct);
        var firing = response.MetricAlarms.Select(a => (a.AlarmName, a.StateReason, a.StateUpdatedTimestamp, Kind: ""))
            .Concat(response.CompositeAlarms.Select(a => (a.AlarmName, StateReason: a.StateReasonByName, a.StateUpdatedTimestamp, Kind: " (composite)")))
            .OrderByDescending(a => a.StateUpdatedTimestamp)
            .ToList();
        if (firing.Count == 0) return ProbeResult.Ok(AlarmsArea, "no alarms in ALARM");
        var details = firing.Select(a => Line.Of("🔴 ", Value(a.AlarmName, 120), a.Kind, $" since {Ago(a.StateUpdatedTimestamp)}: ", AwsFailures.Trim(a.StateReason, 160))).ToList();
        return ProbeResult.Warning(AlarmsArea, $"{firing.Count} alarm{(firing.Count == 1 ? "" : "s")} in ALARM", details);
    }

    private async Task<ProbeResult> LambdaMetricsAsync(SecureBaseEnvironment env, CancellationToken ct)
    {
        var queries = new List<(string Id, string Function, string Metric)>();
        var i = 0;
        foreach (var function in env.Functions)
        {
            queries.Add(($"e{i}", function, "Errors"));
            queries.Add(($"t{i}", function, "Throttles"));
            i++;
        }
        var sums = await SumsAsync("AWS/Lambda", "FunctionName", queries.Select(q => (q.Id, q.Function, q.Metric)).ToList(), ct);
        var details = new List<Line>();
        var errors = 0.0;
        var throttles = 0.0;
        for (var n = 0; n < env.Functions.Count; n++)
        {
            var e = sums.GetValueOrDefault($"e{n}");
            var t = sums.GetValueOrDefault($"t{n}");
            errors += e;
            throttles += t;
            details.Add(Line.Of(e + t > 0 ? "⚠️ " : "✅ ", Code(env.Functions[n]), $": {Count(e)} errors, {Count(t)} throttles"));
        }
        details = details.OrderBy(IsGood).ToList();
        return errors + throttles > 0
            ? ProbeResult.Warning(LambdaMetricsArea, $"{Count(errors)} errors, {Count(throttles)} throttles in the last hour", details)
            : ProbeResult.Ok(LambdaMetricsArea, "no errors or throttles in the last hour", details);
    }

    private async Task<ProbeResult> DynamoThrottlingAsync(SecureBaseEnvironment env, CancellationToken ct)
    {
        var queries = new List<(string, string, string)>();
        for (var n = 0; n < env.Tables.Count; n++)
        {
            queries.Add(($"r{n}", env.Tables[n], "ReadThrottleEvents"));
            queries.Add(($"w{n}", env.Tables[n], "WriteThrottleEvents"));
        }
        var sums = await SumsAsync("AWS/DynamoDB", "TableName", queries, ct);
        var details = new List<Line>();
        var total = 0.0;
        for (var n = 0; n < env.Tables.Count; n++)
        {
            var r = sums.GetValueOrDefault($"r{n}");
            var w = sums.GetValueOrDefault($"w{n}");
            total += r + w;
            details.Add(Line.Of(r + w > 0 ? "⚠️ " : "✅ ", Code(env.Tables[n]), $": {Count(r)} read, {Count(w)} write throttle events"));
        }
        details = details.OrderBy(IsGood).ToList();
        return total > 0
            ? ProbeResult.Warning(DynamoThrottlingArea, $"{Count(total)} throttle events in the last hour", details)
            : ProbeResult.Ok(DynamoThrottlingArea, "no throttling in the last hour", details);
    }

    private async Task<ProbeResult> ApiGateway5xxAsync(SecureBaseEnvironment env, CancellationToken ct)
    {
        var queries = env.ApiNames.Select((api, n) => ($"a{n}", api, "5XXError")).ToList();
        var sums = await SumsAsync("AWS/ApiGateway", "ApiName", queries, ct);
        var details = new List<Line>();
        var total = 0.0;
        for (var n = 0; n < env.ApiNames.Count; n++)
        {
            var v = sums.GetValueOrDefault($"a{n}");
            total += v;
            details.Add(Line.Of(v > 0 ? "⚠️ " : "✅ ", Code(env.ApiNames[n]), $": {Count(v)} 5xx responses"));
        }
        return total > 0
            ? ProbeResult.Warning(ApiGatewayArea, $"{Count(total)} 5xx responses in the last hour", details)
            : ProbeResult.Ok(ApiGatewayArea, "no 5xx responses in the last hour", details);
    }

    /// <summary>One GetMetricData call: the Sum over the last hour of each (id, dimension value, metric).</summary>
    private async Task<Dictionary<string, double>> SumsAsync(string ns, string dimension, IReadOnlyList<(string Id, string Value, string Metric)> queries, CancellationToken ct)
    {
        if (queries.Count == 0) return [];
        var end = time.GetUtcNow();
        end = new DateTimeOffset(end.Ticks - end.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        var results = await cloudWatch.GetMetricDataAsync(new GetMetricDataRequest
        {
            StartTime = end - Window,
            EndTime = end,
            MetricDataQueries = queries.Select(q => new MetricDataQuery
            {
                Id = q.Id,
                MetricStat = new MetricStat
                {
                    Metric = new Metric { Namespace = ns, MetricName = q.Metric, Dimensions = [new Dimension(dimension, q.Value)] },
                    Period = (int)Window.TotalSeconds,
                    Stat = "Sum",
                },
                ReturnData = true,
            }).ToList(),
        }, ct);
        return results.Where(r => r.Id is not null).ToDictionary(r => r.Id!, r => r.Values.Sum());
    }

    private string Ago(DateTimeOffset when)
    {
        var span = time.GetUtcNow() - when;
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        var text = span.TotalMinutes < 1 ? "just now" : DurationParser.Format(span.TotalDays >= 2 ? TimeSpan.FromDays(Math.Floor(span.TotalDays)) : span.TotalHours >= 2 ? TimeSpan.FromHours(Math.Floor(span.TotalHours)) : TimeSpan.FromMinutes(Math.Floor(span.TotalMinutes))) + " ago";
        return $"{when.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC ({text})";
    }

    private static string Count(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Whether a detail line says all is well (it starts with ✅).</summary>
    internal static bool IsGood(Line detail) => detail.ToPlainText().StartsWith('✅');
}
