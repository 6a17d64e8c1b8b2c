using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Kpis;

/// <summary><c>/sb kpis [prod|staging|dev] [--period 24h]</c>: the procedures' KPIs now, against their targets.</summary>
public sealed class KpisCommand(KpiReader reader, IOptions<SecureBaseOptions> options, TimeProvider time) : ICommandHandler
{
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromHours(24);

    public CommandSpec Spec { get; } = new()
    {
        Verb = "kpis",
        Summary = "The procedures' KPIs (success rate, execution time, availability) against their targets.",
        Usage = "/sb kpis [prod|staging|dev] [--period 24h]",
        MaxPositionals = 1,
        Flags = [new FlagSpec("period", "How far back: 1h, 24h, 7d, 30d (default 24h, at most 90d).", ValueHint: "24h")],
        Examples = ["/sb kpis", "/sb kpis staging --period 7d"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var env = context.Arguments.Environment(options.Value);
        var length = DurationParser.Parse(context.Arguments.Flag("period"), DefaultPeriod, "period");
        if (length < TimeSpan.FromHours(1))
            throw new UsageException(Line.Of(Code("--period"), " is at least ", Code("1h"), ": the KPIs are read from hourly or 5-minute metrics."));
        var report = await reader.ReadAsync(env, ReportWindow.Ending(time.GetUtcNow(), length), cancellationToken);
        await context.RespondAsync(KpiMessages.Build(report, $"last {ReportWindow.Describe(length)}"), cancellationToken);
    }
}
