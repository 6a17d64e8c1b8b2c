using System.Text;
using Bot.Commands.Changes;
using Bot.Commands.Reports.Kpis;
using Bot.Integrations.Aws.Logs;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Reviews.Sections;

/// <summary>
/// The functions, window over window: invocations, errors and error rate, duration p50/p95/max against the timeout,
/// throttles (CloudWatch), cold starts (<c>Init Duration</c>) and memory used against memory configured (the REPORT lines,
/// Logs Insights). ⚠️ by the procedures: error rate above the success KPI, any throttle, memory above 80 %, duration above
/// 80 % of the timeout; each asks for its capacity action.
/// </summary>
public sealed class FunctionsSection(MetricReads reads, ICloudWatchLogsClient logs, ICloud cloud) : IReviewSection
{
    public const double ScaleAbovePercent = 80;
    public const double ErrorRateAbovePercent = 0.5;

    public string Title => "Lambda functions";

    public bool PartOf(ReviewKind kind) => true;

    private sealed record FunctionWeek(string Function, double? Invocations, double? Before, double? Errors, double? Max, double? Throttles,
        FunctionSettings? Settings, InsightsRow? Report)
    {
        public double? P50 => Report?.NumberOrNull("p50");
        public double? P95 => Report?.NumberOrNull("p95");
    }

    public async Task<ReportSection> BuildAsync(ReviewScope scope, CancellationToken cancellationToken)
    {
        var env = scope.Environment;
        var asks = env.Functions.SelectMany((f, i) => new[]
        {
            MetricAsk.Function($"inv{i}", f, "Invocations", "Sum"), MetricAsk.Function($"err{i}", f, "Errors", "Sum"),
            MetricAsk.Function($"thr{i}", f, "Throttles", "Sum"), MetricAsk.Function($"dmax{i}", f, "Duration", "Maximum"),
        }).ToList();
        var values = await WindowedValues.ReadAsync(reads, Line.Of("reading the functions' metrics of ", Code(env.Name)), asks, scope.Window, cancellationToken);
        var settings = await Task.WhenAll(env.Functions.Select(f => SettingsAsync(f, cancellationToken)));
        // One query at a time: Logs Insights runs few queries at once per account.
        var reports = new List<IReadOnlyList<InsightsRow>?>();
        foreach (var f in env.Functions)
            reports.Add(await InsightsQueries.RunAsync(logs, env.LogGroupOf(f), scope.Window.Start, scope.Window.End,
                InsightsQueries.ReportLines + " | stats count(*) as reports, count(@initDuration) as cold, avg(@initDuration) as init, max(@maxMemoryUsed) as peak, pct(@duration, 50) as p50, pct(@duration, 95) as p95",
                cancellationToken));
        var weeks = env.Functions.Select((f, i) => new FunctionWeek(f, values.Now($"inv{i}"), values.Before($"inv{i}"), values.Now($"err{i}"),
            values.NowMax($"dmax{i}"), values.Now($"thr{i}"), settings[i], reports[i] is { Count: > 0 } r ? r[0] : null)).ToList();

        var lines = new List<Line>();
        var actions = new List<ReviewAction>();
        foreach (var w in weeks) Judge(env.Name, w, lines, actions);
        var warned = lines.Count > 0;
        foreach (var (function, latest) in env.Functions.Zip(settings))
            if (latest is not null && await WaitingReleaseAsync(function, latest, cancellationToken) is { } prod)
                actions.Add(new ReviewAction(ActionArea.Maintenance, Line.Of(Code(function), ": ", Code("$LATEST"), $" holds a release that PROD (version {prod.Version}{(prod.Description is { Length: > 0 } d ? $", {d}" : "")}) does not run yet; schedule its deploy: ",
                    Code($"/sb deploy {function} --publish"))));
        if (!warned) lines.Add(Line.Of(Emoji("white_check_mark"), $" Every function within the procedures' thresholds (errors under {ErrorRateAbovePercent} %, no throttles, memory and duration under {ScaleAbovePercent} %)."));

        var chart = new Chart($"Invocations per day, {env.Name}", "invocations",
            env.Functions.Select((f, i) => values.Series($"inv{i}") is { } s ? new ChartLine(WindowedValues.ShortName(env, f), s.Timestamps, s.Values) : null).OfType<ChartLine>().ToList());
        return new ReportSection(Title, warned ? SectionHealth.Attention : SectionHealth.Healthy, lines)
        {
            Table = Table(env, weeks),
            Actions = actions,
            Charts = [chart],
        };
    }

    private async Task<FunctionSettings?> SettingsAsync(string function, CancellationToken cancellationToken)
    {
        try
        {
            return await ChangeReads.ReadAsync(Line.Of("the configuration of ", Code(function)), () => cloud.GetSettingsAsync(function, cancellationToken));
        }
        catch (Routing.UserFacingException)
        {
            return null;
        }
    }

    /// <summary>PROD's version when <c>$LATEST</c> holds other code (a release waiting to be deployed: maintenance to schedule); null otherwise.</summary>
    private async Task<VersionInfo?> WaitingReleaseAsync(string function, FunctionSettings latest, CancellationToken cancellationToken)
    {
        try
        {
            var alias = await cloud.GetAliasAsync(function, "PROD", cancellationToken);
            var prod = await cloud.GetVersionAsync(function, alias.Version, cancellationToken);
            return prod.CodeSha256 != latest.CodeSha256 ? prod : null;
        }
        catch (PortException)
        {
            return null;
        }
    }

    private static void Judge(string env, FunctionWeek w, List<Line> lines, List<ReviewAction> actions)
    {
        var name = Code(w.Function);
        if (w.Invocations is > 0 && w.Errors is { } errors && errors / w.Invocations.Value * 100 > ErrorRateAbovePercent)
            lines.Add(Line.Of(Emoji("warning"), " ", name, $": error rate {errors / w.Invocations.Value * 100:0.00} % ({KpiReader.Count(errors)} errors), above {ErrorRateAbovePercent} %"));
        if (w.Throttles is > 0)
        {
            lines.Add(Line.Of(Emoji("warning"), " ", name, $": {KpiReader.Count(w.Throttles.Value)} throttles (the procedures: scale up when throttling occurs)"));
            actions.Add(new ReviewAction(ActionArea.Capacity, Line.Of("Raise the reserved concurrency of ", name, ": ", Code($"/sb concurrency {w.Function} <n>"))));
        }
        if (w.Settings is { } s && w.Report?.NumberOrNull("peak") is { } peak && peak / 1_000_000 / s.MemoryMb * 100 > ScaleAbovePercent)
        {
            lines.Add(Line.Of(Emoji("warning"), " ", name, $": memory {peak / 1_000_000:0} of {s.MemoryMb} MB at its peak ({peak / 1_000_000 / s.MemoryMb * 100:0} %), above {ScaleAbovePercent} %"));
            actions.Add(new ReviewAction(ActionArea.Capacity, Line.Of("Raise the memory of ", name, ": ", Code($"/sb config {w.Function} --memory {s.MemoryMb * 3 / 2 / 64 * 64}"))));
        }
        if (w.Settings is { TimeoutSeconds: > 0 } t && w.Max is { } max && max / (t.TimeoutSeconds * 1000.0) * 100 > ScaleAbovePercent)
        {
            lines.Add(Line.Of(Emoji("warning"), " ", name, $": longest run {KpiReader.Milliseconds(max)} of a {t.TimeoutSeconds} s timeout, above {ScaleAbovePercent} %"));
            actions.Add(new ReviewAction(ActionArea.Capacity, Line.Of("Raise the memory or the timeout of ", name, ": ", Code($"/sb capacity {w.Function} --env {env}"))));
        }
    }

    private static string Table(Bot.Commands.Cloud.SecureBaseEnvironment env, IReadOnlyList<FunctionWeek> weeks)
    {
        var t = new StringBuilder();
        t.AppendLine($"{"function",-20} {"invocations",12} {"vs before",10} {"errors",7} {"rate",6} {"p50",8} {"p95",8} {"max",8} {"thr",5} {"cold",6} {"memory",12}");
        foreach (var w in weeks)
        {
            var rate = w.Invocations is > 0 ? $"{(w.Errors ?? 0) / w.Invocations.Value * 100:0.00}%" : "–";
            var reports = w.Report?.Number("reports") ?? 0;
            var cold = reports > 0 ? $"{w.Report!.Number("cold") / reports * 100:0.0}%" : "–";
            var memory = w.Settings is { } s && w.Report?.NumberOrNull("peak") is { } peak ? $"{peak / 1_000_000:0}/{s.MemoryMb} MB" : "–";
            t.AppendLine($"{Cut(WindowedValues.ShortName(env, w.Function), 20),-20} {KpiReader.Count(w.Invocations ?? 0),12} {WindowedValues.Change(w.Invocations, w.Before),10} " +
                         $"{KpiReader.Count(w.Errors ?? 0),7} {rate,6} {Ms(w.P50),8} {Ms(w.P95),8} {Ms(w.Max),8} {KpiReader.Count(w.Throttles ?? 0),5} {cold,6} {memory,12}");
        }
        return t.ToString().TrimEnd();
    }

    private static string Ms(double? ms) => ms is { } v ? KpiReader.Milliseconds(v) : "–";

    internal static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
