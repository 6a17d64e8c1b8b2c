using Bot.Integrations.Aws.CloudWatch;
using Bot.Workflows.Incidents;
using Bot.Workflows.Incidents.Activities;
using Bot.Workflows.Messages;

namespace Bot.Commands.Incidents.Diagnostics;

/// <summary>
/// The metrics a playbook looks at over the last hour, a minute at a time: a function's Errors and Throttles, a table's
/// read and write throttle events and UserErrors, an API's 5XXError and Count. Totals, worst minute and a chart.
/// </summary>
public sealed class DiagnosticMetrics(ICloudWatchClient cloudWatch)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private const int Period = 60;

    private sealed record Spec(string Id, string Namespace, string Dimension, string Resource, string Metric, string Unit);

    public async Task<(IReadOnlyList<MetricReading> Readings, Chart? Chart)> ReadAsync(PlaybookRef playbook, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var specs = SpecsFor(playbook);
        if (specs.Count == 0) return ([], null);
        var end = DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds() / 60 * 60);
        var results = await cloudWatch.GetMetricDataAsync(new GetMetricDataRequest
        {
            StartTime = end - Window,
            EndTime = end,
            MetricDataQueries = specs.Select(s => new MetricDataQuery
            {
                Id = s.Id,
                Label = s.Metric,
                MetricStat = new MetricStat
                {
                    Metric = new Metric { Namespace = s.Namespace, MetricName = s.Metric, Dimensions = [new Dimension(s.Dimension, s.Resource)] },
                    Period = Period,
                    Stat = "Sum",
                },
            }).ToList(),
        }, cancellationToken);

        var byId = results.Where(r => r.Id is not null).ToDictionary(r => r.Id!);
        var readings = specs.Select(s => byId.GetValueOrDefault(s.Id) is { Values.Count: > 0 } r
            ? new MetricReading(s.Metric, s.Resource, r.Values.Sum(), r.Values.Max(), s.Unit)
            : new MetricReading(s.Metric, s.Resource, 0, 0, s.Unit)).ToList();
        var lines = specs.Where(s => s.Unit == "count")
            .Select(s => byId.GetValueOrDefault(s.Id) is { } r ? new ChartLine(s.Metric, r.Timestamps, r.Values) : null)
            .OfType<ChartLine>().Where(l => l.Times.Count > 0).ToList();
        var target = specs[0].Resource;
        var chart = lines.Count == 0 ? null : new Chart($"{target}, last hour", "per minute", lines);
        return (readings, chart);
    }

    private static List<Spec> SpecsFor(PlaybookRef p)
    {
        if (p.Function is { } function)
            return [new("errors", "AWS/Lambda", "FunctionName", function, "Errors", "count"), new("throttles", "AWS/Lambda", "FunctionName", function, "Throttles", "count"),
                new("invocations", "AWS/Lambda", "FunctionName", function, "Invocations", "calls")];
        if (p.Table is { } table)
            return [new("readthrottles", "AWS/DynamoDB", "TableName", table, "ReadThrottleEvents", "count"), new("writethrottles", "AWS/DynamoDB", "TableName", table, "WriteThrottleEvents", "count"),
                new("usererrors", "AWS/DynamoDB", "TableName", table, "UserErrors", "count")];
        if (p.Api is { } api)
            return [new("fivexx", "AWS/ApiGateway", "ApiName", api, "5XXError", "count"), new("requests", "AWS/ApiGateway", "ApiName", api, "Count", "requests")];
        return [];
    }
}
