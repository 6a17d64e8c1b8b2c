using System.Globalization;
using Bot.Commands.Cloud;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Kpis;

/// <summary>One KPI: what it is, what it was, its target, whether it was met (null: not measured), and how it was counted.</summary>
public sealed record Kpi(string Name, string Actual, string Target, bool? Met, string Detail);

/// <summary>The procedures' KPIs of one environment over a window.</summary>
public sealed record KpiReport(string Environment, ReportWindow Window, IReadOnlyList<Kpi> Kpis)
{
    public bool AllMet => Kpis.All(k => k.Met != false);
}

/// <summary>
/// The procedures' "Key Performance Indicators" applied to SecureBase: execution success rate and average execution time
/// of the functions (AWS/Lambda Invocations, Errors, Duration), system availability (the API's requests without a 5xx),
/// and the e-mail delivery rate, which SecureBase has no source for. Targets from <see cref="KpiTargets"/>.
/// </summary>
public sealed class KpiReader(MetricReads metrics, IOptions<ReportsOptions> options)
{
    public async Task<KpiReport> ReadAsync(SecureBaseEnvironment env, ReportWindow window, CancellationToken cancellationToken)
    {
        var asks = new List<MetricAsk>();
        for (var i = 0; i < env.Functions.Count; i++)
        {
            asks.Add(MetricAsk.Function($"inv{i}", env.Functions[i], "Invocations", "Sum"));
            asks.Add(MetricAsk.Function($"err{i}", env.Functions[i], "Errors", "Sum"));
            asks.Add(MetricAsk.Function($"dur{i}", env.Functions[i], "Duration", "Sum"));
        }
        for (var i = 0; i < env.ApiNames.Count; i++)
        {
            asks.Add(MetricAsk.Api($"req{i}", env.ApiNames[i], "Count", "Sum"));
            asks.Add(MetricAsk.Api($"fivexx{i}", env.ApiNames[i], "5XXError", "Sum"));
        }
        var values = await metrics.ReadAsync(Line.Of("reading the KPI metrics of ", Code(env.Name)), asks, window, cancellationToken);
        return new KpiReport(env.Name, window, Compute(env, values, options.Value.Kpis));
    }

    internal static IReadOnlyList<Kpi> Compute(SecureBaseEnvironment env, MetricValues values, KpiTargets targets)
    {
        var invocations = Enumerable.Range(0, env.Functions.Count).Sum(i => values.Sum($"inv{i}"));
        var errors = Enumerable.Range(0, env.Functions.Count).Sum(i => values.Sum($"err{i}"));
        var durationMs = Enumerable.Range(0, env.Functions.Count).Sum(i => values.Sum($"dur{i}"));
        var requests = Enumerable.Range(0, env.ApiNames.Count).Sum(i => values.Sum($"req{i}"));
        var failed = Enumerable.Range(0, env.ApiNames.Count).Sum(i => values.Sum($"fivexx{i}"));

        var worst = Enumerable.Range(0, env.Functions.Count)
            .Select(i => (Function: env.Functions[i], Rate: Rate(values.Sum($"inv{i}"), values.Sum($"err{i}"))))
            .Where(f => f.Rate is not null && f.Rate < targets.SuccessRatePercent)
            .OrderBy(f => f.Rate).ToList();

        double? success = Rate(invocations, errors);
        double? average = invocations > 0 ? durationMs / invocations : null;
        double? availability = Rate(requests, failed);
        return
        [
            new Kpi("Execution success rate", Percent(success), $"> {Number(targets.SuccessRatePercent)} %", success is null ? null : success > targets.SuccessRatePercent,
                $"{Count(errors)} errors in {Count(invocations)} invocations" + (worst.Count == 0 ? "" : "; below target: " + string.Join(", ", worst.Select(w => $"{w.Function} {Percent(w.Rate)}")))),
            new Kpi("Average execution time", average is { } ms ? Milliseconds(ms) : "–", $"< {DurationParser.Format(targets.AverageDuration)}",
                average is null ? null : average < targets.AverageDuration.TotalMilliseconds, $"over {Count(invocations)} invocations"),
            new Kpi("System availability", Percent(availability), $"> {Number(targets.AvailabilityPercent)} %", availability is null ? null : availability > targets.AvailabilityPercent,
                $"{Count(failed)} 5xx answers in {Count(requests)} API requests"),
            new Kpi("E-mail delivery rate", "not measured", $"> {Number(targets.EmailDeliveryPercent)} %", null,
                "SecureBase sends no e-mail through SES, so there is nothing to count"),
        ];
    }

    private static double? Rate(double total, double failed) => total > 0 ? (1 - failed / total) * 100 : null;

    public static string Percent(double? value) => value is { } v ? v.ToString(v >= 99 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " %" : "–";

    public static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Milliseconds(double ms) => ms >= 60_000 ? (ms / 60_000).ToString("0.0", CultureInfo.InvariantCulture) + " min"
        : ms >= 1000 ? (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s" : ms.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
