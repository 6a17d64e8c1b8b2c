using Bot.Integrations.Aws;
using Bot.Integrations.Aws.Logs;
using Bot.Commands.Cloud;
using Bot.Commands.Redaction;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using Bot.Workflows.Activities;
using Bot.Workflows.Incidents.Activities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Incidents.Diagnostics;

/// <summary>
/// Runs a playbook's investigation (<see cref="DiagnoseIncident"/>): the newest ERROR lines of the function (or of the
/// environment's functions for a table or an API), redacted; the error metrics of the last hour with a chart; the
/// alias's recent changes and the rollback on offer. Each area is read on its own, under a time limit: one that fails
/// is named in the report instead of failing the rest. Read-only, so a repeat is harmless.
/// </summary>
public sealed class DiagnoseIncidentHandler(
    ICloudWatchLogsClient logs,
    DiagnosticMetrics metrics,
    RecentDeploys deploys,
    IOptions<SecureBaseOptions> options,
    ILogger<DiagnoseIncidentHandler> logger) : ActivityHandler<DiagnoseIncident>
{
    public const int ShownLines = 8;
    public const int MaxScanned = 500;
    public const int MaxLineLength = 240;
    public static readonly TimeSpan AreaTimeout = TimeSpan.FromSeconds(10);

    protected override Task<LiveCheck> CheckAsync(DiagnoseIncident activity, CancellationToken cancellationToken) => Task.FromResult(LiveCheck.Go);

    protected override async Task<ActivityResult> RunAsync(DiagnoseIncident a, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var playbook = a.Playbook;
        var errors = Area("the ERROR lines", () => ErrorLinesAsync(a, cancellationToken), problems, cancellationToken);
        var readings = Area("the metrics", () => metrics.ReadAsync(playbook, a.At, cancellationToken), problems, cancellationToken);
        var recent = playbook.Function is { } function
            ? Area("the alias and its recent changes", () => deploys.ReadAsync(function, a.At, cancellationToken), problems, cancellationToken)
            : Task.FromResult(default((IReadOnlyList<string>, string?, RollbackOffer?)));
        await Task.WhenAll(errors, readings, recent);

        var (count, lines) = errors.Result;
        var (metricReadings, chart) = readings.Result;
        var (aliasLines, liveAlias, offer) = recent.Result;
        var report = new DiagnosticsReport
        {
            ErrorLineCount = count,
            ErrorLines = lines ?? [],
            Metrics = metricReadings ?? [],
            Chart = chart,
            AliasChanges = aliasLines ?? [],
            LiveAlias = liveAlias,
            Rollback = offer,
            RollbackCommand = playbook.Function is { } fn && offer is null
                ? $"rollback {fn} --env {playbook.Environment} --category emergency --incident {a.IncidentId} --reason \"incident {a.IncidentId}\""
                : null,
            Problems = problems,
        };
        return new ActivityResult($"{count} ERROR line(s), {report.Metrics.Count} metric(s){(offer is null ? "" : $", rollback of {offer.ChangeId} on offer")}",
            System.Text.Json.JsonSerializer.Serialize(report, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
    }

    private async Task<(int Count, IReadOnlyList<string> Lines)> ErrorLinesAsync(DiagnoseIncident a, CancellationToken cancellationToken)
    {
        var env = options.Value.Get(a.Playbook.Environment);
        var functions = a.Playbook.Function is { } f ? [f] : env.Functions;
        var found = new List<FilteredLogEvent>();
        foreach (var function in functions)
        {
            var result = await logs.FilterAllLogEventsAsync(new FilterLogEventsRequest
            {
                LogGroupName = env.LogGroupOf(function),
                StartTime = (a.At - DiagnosticMetrics.Window).ToUnixTimeMilliseconds(),
                EndTime = a.At.ToUnixTimeMilliseconds(),
                FilterPattern = "ERROR",
            }, MaxScanned, cancellationToken);
            found.AddRange(result.Events);
        }
        var newest = found.OrderByDescending(e => e.Timestamp).Take(ShownLines).Reverse()
            .Select(e => PlainText.Bound(PlainText.OneLine(Redactor.Redact(e.Message)).Trim(), MaxLineLength)).ToList();
        return (found.Count, newest);
    }

    /// <summary>One area of the investigation under its own time limit; a failure is named in <paramref name="problems"/>.</summary>
    private async Task<T> Area<T>(string what, Func<Task<T>> read, List<string> problems, CancellationToken cancellationToken)
    {
        try
        {
            return await read().WaitAsync(AreaTimeout, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Diagnostics could not read {What}", what);
            lock (problems) problems.Add($"Could not read {what}: {Reason(e)}");
            return default!;
        }
    }

    private static string Reason(Exception e) => e switch
    {
        TimeoutException => $"no answer within {AreaTimeout.TotalSeconds:0} s",
        Bot.Workflows.Ports.PortException p => p.Message,
        AwsServiceException aws => $"{aws.Service} answered {aws.Code}",
        _ => e.GetType().Name,
    };
}
