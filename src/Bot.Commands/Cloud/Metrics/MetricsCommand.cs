using System.Globalization;
using System.Text;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.Charts;
using Bot.Commands.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud.Metrics;

/// <summary><c>/sb metrics &lt;function|table&gt; [--since 1h]</c>: a compact table of the key metrics and a chart.</summary>
public sealed class MetricsCommand(ICloudWatchClient cloudWatch, IOptions<SecureBaseOptions> options, TimeProvider time, ILogger<MetricsCommand> logger) : ICommandHandler
{
    private static readonly int[] Periods = [60, 300, 900, 3600, 21600, 86400];
    private const int MaxPoints = 120;

    public CommandSpec Spec { get; } = new()
    {
        Verb = "metrics",
        Summary = "Key CloudWatch metrics of a Lambda function or DynamoDB table, with a chart.",
        Usage = "/sb metrics <function|table> [--since 1h] [--env prod]",
        MaxPositionals = 1,
        Flags =
        [
            new FlagSpec("since", "How far back: 15m, 1h, 2d, 1w (default 1h).", ValueHint: "1h"),
            new FlagSpec("env", "Environment (default prod, or the one in the name).", ValueHint: "prod"),
        ],
        Examples = ["/sb metrics user-management", "/sb metrics securebase-prod-user-sessions --since 1d"],
    };

    /// <summary>What to ask CloudWatch for one resource kind.</summary>
    internal sealed record MetricSpec(string Id, string Metric, string Stat, string Unit);

    internal static readonly IReadOnlyList<MetricSpec> FunctionMetrics =
    [
        new("invocations", "Invocations", "Sum", "count"),
        new("errors", "Errors", "Sum", "count"),
        new("throttles", "Throttles", "Sum", "count"),
        new("duration", "Duration", "Average", "ms"),
    ];

    internal static readonly IReadOnlyList<MetricSpec> TableMetrics =
    [
        new("rcu", "ConsumedReadCapacityUnits", "Sum", "units"),
        new("wcu", "ConsumedWriteCapacityUnits", "Sum", "units"),
        new("readthrottles", "ReadThrottleEvents", "Sum", "count"),
        new("writethrottles", "WriteThrottleEvents", "Sum", "count"),
    ];

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var wanted = context.Arguments.Positional(0)
                     ?? throw new UsageException(Line.Of("Which function or table? e.g. ", Code("user-management"), " or ", Code("securebase-prod-user-sessions"), "."));
        var since = context.Arguments.Since();
        var (env, function, table) = context.Arguments.FunctionOrTable(options.Value, wanted);
        var (ns, dimension, resource, specs) = function is not null
            ? ("AWS/Lambda", "FunctionName", function, FunctionMetrics)
            : ("AWS/DynamoDB", "TableName", table!, TableMetrics);

        var period = PeriodFor(since);
        var end = time.GetUtcNow();
        end = DateTimeOffset.FromUnixTimeSeconds(end.ToUnixTimeSeconds() / 60 * 60);
        var results = await AwsFailures.Guard(Line.Of("reading metrics of ", Code(resource)), () => cloudWatch.GetMetricDataAsync(new GetMetricDataRequest
        {
            StartTime = end - since,
            EndTime = end,
            MetricDataQueries = specs.Select(s => new MetricDataQuery
            {
                Id = s.Id,
                Label = s.Metric,
                MetricStat = new MetricStat
                {
                    Metric = new Metric { Namespace = ns, MetricName = s.Metric, Dimensions = [new Dimension(dimension, resource)] },
                    Period = period,
                    Stat = s.Stat,
                },
            }).ToList(),
        }, cancellationToken));

        var byId = results.Where(r => r.Id is not null).ToDictionary(r => r.Id!);
        var title = $"{resource} ({env.Name}), last {DurationParser.Format(since)}";
        await context.RespondAsync(Build(title, period, specs, byId), cancellationToken);

        var chart = TryChart(title, specs, byId, out var note);
        if (chart is not null)
        {
            await ThreadFollowUp.PostAsync(context.Reply,
                ChatMessage.InChannel(Line.Of(Emoji("chart_with_upwards_trend"), " Chart for ", Code($"/sb metrics {resource}"), " (asked by ", context.User.Mention, ")")),
                [], [new ChatFile($"metrics-{resource}.png", title, chart)], logger, cancellationToken);
        }
        else if (note is not null)
        {
            await context.RespondEphemeralAsync(note, cancellationToken);
        }
    }

    internal static int PeriodFor(TimeSpan since) =>
        Periods.FirstOrDefault(p => since.TotalSeconds / p <= MaxPoints, Periods[^1]);

    internal static ChatMessage Build(string title, int period, IReadOnlyList<MetricSpec> specs, IReadOnlyDictionary<string, MetricDataResult> byId)
    {
        var table = new StringBuilder();
        table.AppendLine($"{"metric",-28} {"total/avg",12} {"max",10} {"latest",10}");
        foreach (var s in specs)
        {
            var r = byId.GetValueOrDefault(s.Id);
            var values = r?.Values ?? [];
            var latest = r is null || values.Count == 0 ? double.NaN : r.Timestamps.Zip(values).MaxBy(p => p.First).Second;
            var aggregate = values.Count == 0 ? double.NaN : s.Stat == "Sum" ? values.Sum() : values.Average();
            table.AppendLine($"{$"{s.Metric} ({s.Unit})",-28} {Num(aggregate),12} {Num(values.Count == 0 ? double.NaN : values.Max()),10} {Num(latest),10}");
        }
        var header = Line.Of(Emoji("bar_chart"), " ", Strong(title), $" · period {period / 60} min");
        return ChatMessage.InChannel(Line.Of(header, "\n", table.ToString()),
            [new TextBlock(header), new TextBlock(Line.Of(Preformatted(table.ToString().TrimEnd())))]);
    }

    private byte[]? TryChart(string title, IReadOnlyList<MetricSpec> specs, IReadOnlyDictionary<string, MetricDataResult> byId, out Line? note)
    {
        note = null;
        var series = specs.Where(s => s.Unit != "ms")
            .Select(s => byId.GetValueOrDefault(s.Id) is { } r ? new ChartSeries(s.Metric, r.Timestamps, r.Values) : null)
            .OfType<ChartSeries>().Where(s => s.Times.Count > 0).ToList();
        if (series.Count == 0) return null;
        try
        {
            return ChartRenderer.Lines(title, "per period", series);
        }
        catch (ChartUnavailableException e)
        {
            logger.LogWarning(e, "Chart for {Title} could not be drawn", title);
            note = Line.Of(Emoji("warning"), " The chart could not be drawn on this server (graphics library or fonts missing); the numbers above are complete.");
            return null;
        }
    }

    private static string Num(double v) => double.IsNaN(v) ? "–" : v.ToString(v >= 100 ? "N0" : "0.##", CultureInfo.InvariantCulture);
}
