using System.Text;
using Bot.Commands.Reports.Kpis;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Reviews.Sections;

/// <summary>
/// API Gateway, window over window: requests, 4xx and 5xx, latency on average and at p99. ⚠️ when the share of 5xx puts the
/// API below the availability KPI (<see cref="KpiTargets.AvailabilityPercent"/>).
/// </summary>
public sealed class ApiSection(MetricReads reads, IOptions<ReportsOptions> options) : IReviewSection
{
    public string Title => "API Gateway";

    public bool PartOf(ReviewKind kind) => true;

    public async Task<ReportSection> BuildAsync(ReviewScope scope, CancellationToken cancellationToken)
    {
        var env = scope.Environment;
        var asks = env.ApiNames.SelectMany((a, i) => new[]
        {
            MetricAsk.Api($"req{i}", a, "Count", "Sum"), MetricAsk.Api($"fourxx{i}", a, "4XXError", "Sum"), MetricAsk.Api($"fivexx{i}", a, "5XXError", "Sum"),
            MetricAsk.Api($"lat{i}", a, "Latency", "Average"), MetricAsk.Api($"latp{i}", a, "Latency", "p99"),
        }).ToList();
        var values = await WindowedValues.ReadAsync(reads, Line.Of("reading the API's metrics of ", Code(env.Name)), asks, scope.Window, cancellationToken);
        var target = options.Value.Kpis.AvailabilityPercent;
        var lines = new List<Line>();
        var table = new StringBuilder();
        table.AppendLine($"{"api",-22} {"requests",12} {"vs before",10} {"4xx",9} {"5xx",9} {"available",10} {"latency*",9} {"p99*",9}");
        var warned = false;
        for (var i = 0; i < env.ApiNames.Count; i++)
        {
            var requests = values.Now($"req{i}") ?? 0;
            var failed = values.Now($"fivexx{i}") ?? 0;
            double? available = requests > 0 ? (1 - failed / requests) * 100 : null;
            table.AppendLine($"{FunctionsSection.Cut(env.ApiNames[i], 22),-22} {KpiReader.Count(requests),12} {WindowedValues.Change(requests, values.Before($"req{i}")),10} " +
                             $"{KpiReader.Count(values.Now($"fourxx{i}") ?? 0),9} {KpiReader.Count(failed),9} {KpiReader.Percent(available),10} " +
                             $"{(values.NowMax($"lat{i}") is { } l ? KpiReader.Milliseconds(l) : "–"),9} {(values.NowMax($"latp{i}") is { } p ? KpiReader.Milliseconds(p) : "–"),9}");
            if (available is { } a && a < target)
            {
                warned = true;
                lines.Add(Line.Of(Emoji("warning"), " ", Code(env.ApiNames[i]), $": {KpiReader.Count(failed)} 5xx answers, availability {KpiReader.Percent(a)} below the {KpiReader.Number(target)} % target (the guide's API Gateway 5xx playbook)"));
            }
        }
        if (!warned) lines.Add(Line.Of(Emoji("white_check_mark"), $" Availability at or above {KpiReader.Number(target)} %."));

        lines.Add(Line.Of("* latency on its worst day: the day's average and p99."));
        var chart = new Chart($"API requests and 5xx per day, {env.Name}", "requests",
            env.ApiNames.SelectMany((a, i) => new[] { (Id: $"req{i}", Label: $"{a} requests"), (Id: $"fivexx{i}", Label: $"{a} 5xx") })
                .Select(q => values.Series(q.Id) is { } s ? new ChartLine(q.Label, s.Timestamps, s.Values) : null).OfType<ChartLine>().ToList());
        return new ReportSection(Title, warned ? SectionHealth.Attention : SectionHealth.Healthy, lines) { Table = table.ToString().TrimEnd(), Charts = [chart] };
    }
}
