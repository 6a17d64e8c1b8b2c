using System.Globalization;
using Bot.Commands.Changes;
using Bot.Commands.Cloud;
using Bot.Commands.Recovery;
using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using Bot.Workflows.Recovery;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Capacity;

/// <summary>
/// <c>/sb capacity &lt;table|function&gt;</c> shows capacity against the procedures' thresholds;
/// <c>/sb capacity &lt;table&gt; provisioned --read N --write N [--autoscale MIN-MAX --target 70] | on-demand</c> requests the
/// guide's "Switch DynamoDB to Provisioned Capacity" (or back) as a change: UpdateTable, then RegisterScalableTarget and
/// PutScalingPolicy. A billing-mode switch within 24 hours of the last one is refused before any change exists.
/// </summary>
public sealed class CapacityCommand(
    TableCapacityView tableView,
    FunctionCapacityView functionView,
    ITableCapacity capacity,
    ChangeRequester requester,
    IOptions<SecureBaseOptions> options,
    TimeProvider time,
    ILogger<CapacityCommand> logger) : ICommandHandler
{
    public const long MaxUnits = 40_000;

    public CommandSpec Spec { get; } = new()
    {
        Verb = "capacity",
        Summary = "Capacity of a table or function against the scaling thresholds; or request a table's billing mode, throughput and auto scaling as a change.",
        Usage = "/sb capacity <table|function> [provisioned --read N --write N [--autoscale MIN-MAX --target 70] | on-demand] [--env prod] [--reason \"…\"]",
        MaxPositionals = 2,
        Flags =
        [
            new FlagSpec("read", "provisioned: read capacity units of the table and each index.", ValueHint: "N"),
            new FlagSpec("write", "provisioned: write capacity units of the table and each index.", ValueHint: "N"),
            new FlagSpec("autoscale", "provisioned: auto scaling of read and write between MIN and MAX units.", ValueHint: "10-1000"),
            new FlagSpec("target", "The target utilisation in % for auto scaling (20–90; the guide's 70).", ValueHint: "70"),
            .. ChangeFlags.All,
        ],
        Examples =
        [
            "/sb capacity user-sessions", "/sb capacity report-engine",
            "/sb capacity user-sessions provisioned --read 100 --write 50 --autoscale 10-1000 --target 70 --reason \"sustained high traffic\"",
            "/sb capacity user-invites on-demand",
        ],
        ChangesState = true,
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Arguments;
        var wanted = args.Positional(0) ?? throw new UsageException(Line.Of("Which table or function? e.g. ", Code("user-sessions"), " or ", Code("report-engine"), "."));
        var mode = args.Positional(1)?.ToLowerInvariant();
        if (mode is null)
        {
            var (env, function, table) = args.FunctionOrTable(options.Value, wanted);
            if (function is not null)
            {
                await context.RespondAsync(await functionView.BuildAsync(env, function, cancellationToken), cancellationToken);
                return;
            }
            var (message, chart) = await tableView.BuildAsync(env.Name, table!, cancellationToken);
            await context.RespondAsync(message, cancellationToken);
            if (Integrations.Charts.ChartImage.TryDraw(chart) is { } png)
                await ThreadFollowUp.PostAsync(context.Reply, ChatMessage.InChannel(Line.Of(Emoji("chart_with_upwards_trend"), " Chart for ", Code($"/sb capacity {table}"), " (asked by ", context.User.Mention, ")")),
                    [], [new ChatFile($"capacity-{table}.png", chart.Title, png)], logger, cancellationToken);
            return;
        }
        if (mode is not ("provisioned" or "on-demand"))
            throw new UsageException(Line.Of(Value(mode, 20), " is not a billing mode; use ", Code("provisioned --read N --write N"), " or ", Code("on-demand"), "."));
        await RequestAsync(context, wanted, mode == "on-demand", cancellationToken);
    }

    private async Task RequestAsync(CommandContext context, string wanted, bool onDemand, CancellationToken cancellationToken)
    {
        var args = context.Arguments;
        var (env, table) = RecoveryTargets.Table(options.Value, wanted, args.Flag("env"));
        long read = 0, write = 0;
        int? min = null, max = null;
        double? target = null;
        if (!onDemand)
        {
            read = Units(args.Flag("read"), "read");
            write = Units(args.Flag("write"), "write");
            (min, max) = ParseRange(args.Flag("autoscale"));
            target = args.Flag("target") is { } t ? ParseTarget(t) : min is null ? null : 70;
            if (target is not null && min is null) throw new UsageException(Line.Of(Code("--target"), " goes with ", Code("--autoscale MIN-MAX"), "."));
            if (min is { } lo && max is { } hi && (read < lo || read > hi || write < lo || write > hi))
                throw new UsageException(Line.Of("The starting capacity (", Code("--read"), " and ", Code("--write"), ") must lie inside ", Code("--autoscale"), $" {lo}-{hi}."));
        }
        else if (args.Has("read") || args.Has("write") || args.Has("autoscale") || args.Has("target"))
        {
            throw new UsageException(Line.Of("An on-demand table has no provisioned capacity nor auto scaling; leave out ", Code("--read"), ", ", Code("--write"), ", ", Code("--autoscale"), " and ", Code("--target"), "."));
        }
        var data = new ChangeData();
        await ChangeFlags.ApplyAsync(context, data, requester, cancellationToken);

        var now = await ChangeReads.ReadAsync(Line.Of("the capacity of ", Code(table)), () => capacity.GetCapacityAsync(table, cancellationToken));
        var toMode = onDemand ? CapacityPlan.OnDemand : CapacityPlan.Provisioned;
        var plan = new CapacityPlan(env.Name, table, now.BillingMode, now.Read, now.Write, now.Autoscaling, toMode, read, write,
            onDemand ? [] : now.Indexes.Keys.Order(StringComparer.Ordinal).ToList(), min, max, target);
        if (CapacityMatches.To(plan, now))
            throw new UserFacingException(Line.Of(Emoji("information_source"), " ", Code(table), " already has that capacity (", CapacityMatches.Describe(now), "); nothing to change."));
        if (plan.SwitchesMode && now.LastSwitchToOnDemand is { } last && time.GetUtcNow() - last < CapacityMatches.SwitchEvery)
            throw new UserFacingException(Line.Of(Emoji("no_entry"), " ", Code(table), " switched to on-demand at ", Time(last), "; AWS limits billing-mode switches, and the next one is possible at ",
                Time(last + CapacityMatches.SwitchEvery), ". Nothing was requested."));

        data.Spec = new ChangeSpec { Kind = ChangeKind.Capacity, Environment = env.Name, Operation = plan };
        await requester.SubmitAsync(context, data, cancellationToken);
    }

    private static long Units(string? text, string flag)
    {
        if (text is null) throw new UsageException(Line.Of("Provisioned capacity needs ", Code("--read N"), " and ", Code("--write N"), "."));
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > MaxUnits)
            throw new UsageException(Line.Of(Code($"--{flag}"), $" is a whole number of capacity units from 1 to {MaxUnits:N0}."));
        return n;
    }

    internal static (int? Min, int? Max) ParseRange(string? text)
    {
        if (text is null) return (null, null);
        var parts = text.Split('-');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max)
            && min >= 1 && max >= min && max <= MaxUnits)
            return (min, max);
        throw new UsageException(Line.Of(Code("--autoscale"), " is MIN-MAX capacity units, e.g. ", Code("10-1000"), $" (1 ≤ MIN ≤ MAX ≤ {MaxUnits:N0})."));
    }

    internal static double ParseTarget(string text)
    {
        if (double.TryParse(text.TrimEnd('%'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var target) && target is >= 20 and <= 90) return target;
        throw new UsageException(Line.Of(Code("--target"), " is the utilisation to keep, from 20 to 90 % (the guide: 70)."));
    }
}
