using Bot.Integrations.Aws.CostExplorer;
using Bot.Integrations.Charts;
using Bot.Commands.Routing;
using Microsoft.Extensions.Logging;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud.Cost;

/// <summary>
/// <c>/sb cost [--period 7d|30d|mtd|last-month] [--service NAME] [--by service|usage-type|environment]</c>:
/// totals, top services (or each environment and its services), change against the previous period, and a daily chart in the thread.
/// </summary>
public sealed class CostCommand(ICostExplorerClient costExplorer, TimeProvider time, ILogger<CostCommand> logger) : ICommandHandler
{
    public const string Metric = "UnblendedCost";
    private const int MaxServiceNameLength = 100;

    public CommandSpec Spec { get; } = new()
    {
        Verb = "cost",
        Summary = "AWS cost: total, top services, change against the previous period, and a chart.",
        Usage = "/sb cost [--period 30d] [--service NAME] [--by service|usage-type|environment]",
        MaxPositionals = 0,
        Flags =
        [
            new FlagSpec("period", "7d, 30d (any Nd up to 365d), mtd or last-month (default 30d).", ValueHint: "30d"),
            new FlagSpec("service", "Only this service, as Cost Explorer names it (e.g. \"AWS Lambda\").", ValueHint: "NAME"),
            new FlagSpec("by", "Group by service (default), usage-type, or environment (the Environment tag, then service).", ValueHint: "service"),
        ],
        Examples = ["/sb cost", "/sb cost --period mtd", "/sb cost --by environment", "/sb cost --period last-month --service \"Amazon DynamoDB\" --by usage-type"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var period = CostPeriodParser.Parse(context.Arguments.Flag("period"), today);
        var groupBy = (context.Arguments.Flag("by") ?? "service").Trim().ToLowerInvariant() switch
        {
            "service" or "services" => "SERVICE",
            "usage-type" or "usagetype" or "usage_type" or "usage" => "USAGE_TYPE",
            "environment" or "env" or "environments" => CostByEnvironment.TagKey,
            _ => throw new UsageException(Line.Of(Code("--by"), " takes ", Code("service"), ", ", Code("usage-type"), " or ", Code("environment"), ".")),
        };
        var service = context.Arguments.Flag("service")?.Trim();
        if (service is not null && (service.Length == 0 || service.Length > MaxServiceNameLength || service.Any(char.IsControl)))
            throw new UsageException(Line.Of(Code("--service"), $" takes a service name of at most {MaxServiceNameLength} characters, e.g. ", Code("--service \"AWS Lambda\""), "."));
        var filter = service is null ? null : new CostFilter { Dimensions = new DimensionValues { Key = "SERVICE", Values = [service] } };
        if (groupBy == CostByEnvironment.TagKey)
        {
            await ByEnvironmentAsync(context, period, filter, cancellationToken);
            return;
        }

        var currentTask = AwsFailures.Guard("reading costs", () => costExplorer.GetCostAndUsageAsync(new GetCostAndUsageRequest
        {
            TimePeriod = new DateInterval(CostPeriod.Iso(period.Start), CostPeriod.Iso(period.End)),
            Granularity = "DAILY",
            Metrics = [Metric],
            GroupBy = [new GroupDefinition("DIMENSION", groupBy)],
            Filter = filter,
        }, cancellationToken));
        var previousTask = AwsFailures.Guard("reading costs", () => costExplorer.GetCostAndUsageAsync(new GetCostAndUsageRequest
        {
            TimePeriod = new DateInterval(CostPeriod.Iso(period.PreviousStart), CostPeriod.Iso(period.PreviousEnd)),
            Granularity = "MONTHLY",
            Metrics = [Metric],
            Filter = filter,
        }, cancellationToken));
        await Task.WhenAll(currentTask, previousTask);

        var summary = CostSummary.From(period, groupBy, service, await currentTask, await previousTask);
        await context.RespondAsync(CostMessages.Build(summary), cancellationToken);

        byte[]? chart = null;
        try
        {
            if (summary.Daily.Count > 0)
                chart = ChartRenderer.DailyBars($"AWS cost per day, {summary.Period.Label}{(service is null ? "" : $" ({service})")}", summary.Unit, summary.Daily.Select(d => (d.Day, (double)d.Amount)).ToList());
        }
        catch (ChartUnavailableException e)
        {
            logger.LogWarning(e, "Cost chart could not be drawn");
            await context.RespondEphemeralAsync(Line.Of(Emoji("warning"), " The cost chart could not be drawn on this server (graphics library or fonts missing); the figures above are complete."), cancellationToken);
        }
        if (chart is not null)
        {
            await ThreadFollowUp.PostAsync(context.Reply,
                ChatMessage.InChannel(Line.Of(Emoji("chart_with_upwards_trend"), $" Cost chart, {summary.Period.Label} (asked by ", context.User.Mention, ")")),
                [], [new ChatFile($"cost-{CostPeriod.Iso(period.Start)}-{CostPeriod.Iso(period.End)}.png", $"AWS cost per day, {summary.Period.Label}", chart)],
                logger, cancellationToken);
        }
    }

    private async Task ByEnvironmentAsync(CommandContext context, CostPeriod period, CostFilter? filter, CancellationToken cancellationToken)
    {
        var (current, previous) = CostByEnvironment.Requests(period, filter);
        var currentTask = AwsFailures.Guard("reading costs by environment", () => costExplorer.GetCostAndUsageAsync(current, cancellationToken));
        var previousTask = AwsFailures.Guard("reading costs by environment", () => costExplorer.GetCostAndUsageAsync(previous, cancellationToken));
        await Task.WhenAll(currentTask, previousTask);
        var environments = CostByEnvironment.From(await currentTask, await previousTask);
        await context.RespondAsync(CostByEnvironment.Build(period, environments, (await currentTask).ResultsByTime.Any(r => r.Estimated)), cancellationToken);
        if (environments.Count == 0) return;
        byte[] chart;
        try
        {
            chart = ChartRenderer.Lines($"AWS cost per day by environment, {period.Label}", "USD",
                environments.Select(e => new ChartSeries(e.Environment, e.Daily.Select(d => new DateTimeOffset(d.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)).ToList(),
                    e.Daily.Select(d => (double)d.Amount).ToList())).ToList());
        }
        catch (ChartUnavailableException e)
        {
            logger.LogWarning(e, "Cost chart could not be drawn");
            return;
        }
        await ThreadFollowUp.PostAsync(context.Reply,
            ChatMessage.InChannel(Line.Of(Emoji("chart_with_upwards_trend"), $" Cost by environment, {period.Label} (asked by ", context.User.Mention, ")")),
            [], [new ChatFile($"cost-by-environment-{CostPeriod.Iso(period.Start)}-{CostPeriod.Iso(period.End)}.png", $"AWS cost per day by environment, {period.Label}", chart)],
            logger, cancellationToken);
    }
}
