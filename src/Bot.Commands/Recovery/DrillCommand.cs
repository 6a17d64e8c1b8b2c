using Bot.Commands.Changes;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Workflows.Changes;
using Bot.Workflows.Messages;
using Bot.Workflows.Recovery;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Recovery;

/// <summary>
/// <c>/sb drill [table…] [--env staging]</c>: the procedures' quarterly DR test, measured (RTO to a verified copy, RPO to
/// the latest restorable time, against <c>Recovery__Objectives</c>), its drill tables deleted after; in production a
/// change. <c>/sb drill history</c>: the drills run and how they measured.
/// </summary>
public sealed class DrillCommand(DrillStarter starter, ChangeRequester requester, IAggregateStore store, IOptions<SecureBaseOptions> options) : ICommandHandler
{
    public const int HistoryLimit = 20;

    public CommandSpec Spec { get; } = new()
    {
        Verb = "drill",
        Summary = "The quarterly DR test: restore tables into drill tables, measure RTO and RPO against the objectives, delete the drill tables; or its history.",
        Usage = "/sb drill [table…] [--env staging] [--reason \"…\"] | /sb drill history",
        Flags = [.. ChangeFlags.All.Select(f => f.Name == "env" ? f with { Description = "Environment: staging (default) runs at once; prod is a change a second person approves." } : f)],
        Examples = ["/sb drill", "/sb drill user-sessions activity-feed", "/sb drill --env prod --reason \"Q4 DR test\"", "/sb drill history"],
        ChangesState = true,
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Arguments;
        if (string.Equals(args.Positional(0), "history", StringComparison.OrdinalIgnoreCase) && args.Positionals.Count == 1)
        {
            await context.RespondAsync(await HistoryAsync(cancellationToken), cancellationToken);
            return;
        }
        var env = args.Flag("env") ?? DrillStarter.DefaultEnvironment;
        var data = new ChangeData();
        await ChangeFlags.ApplyAsync(context, data, requester, cancellationToken);
        var plan = await starter.PlanAsync(options.Value, env, args.Positionals, cancellationToken);
        await starter.StartAsync(context.User, context.Request.RequestId, context.Reply, plan, data, cancellationToken);
    }

    private async Task<ChatMessage> HistoryAsync(CancellationToken cancellationToken)
    {
        var drills = (await store.ListAggregatesAsync(RestoreJob.Type, null, 200, cancellationToken))
            .Select(r => (RestoreJob)RestoreJob.Definition.Restore(r))
            .Where(j => j.Data.Purpose == RestorePurpose.Drill)
            .Take(HistoryLimit).ToList();
        if (drills.Count == 0)
            return ChatMessage.InChannel(Line.Of(Emoji("information_source"), " No DR drill has run yet. ", Code("/sb drill"), " runs one in staging."));
        var lines = drills.Select(d => Line.Of(Emoji(Icon(d)), " ", Code(d.Id), $" {d.Data.Environment} ", Time(d.Data.CreatedAt), $" — {d.CurrentState}: ", Summary(d))).ToList();
        var heading = Line.Of(Emoji("rotating_light"), " ", Strong("DR drills"), " (newest first; each report is in its card's thread and the audit trail)");
        return ChatMessage.InChannel(Line.Join("\n", [heading, .. lines]), [new TextBlock(heading), new LinesBlock(lines)]);
    }

    private static string Icon(RestoreJob d) => d.CurrentState switch
    {
        RestoreJobState.Completed when d.Data.Steps.All(s => s.Status == RestoreStepStatus.Verified && !s.Mismatch && Within(s)) => "white_check_mark",
        RestoreJobState.Completed => "warning",
        RestoreJobState.Failed => "x",
        _ => "gear",
    };

    private static bool Within(RestoreStep s) => s.Objective is not { } o || (s.Rto is { } rto && rto <= o.Rto && s.Rpo is { } rpo && rpo <= o.Rpo);

    private static Line Summary(RestoreJob d)
    {
        var verified = d.Data.Steps.Where(s => s.Rto is not null).ToList();
        if (verified.Count == 0) return Line.Of($"{d.Data.Steps.Count} table(s), none verified yet");
        var rto = verified.Max(s => s.Rto!.Value);
        var rpo = verified.Max(s => s.Rpo ?? TimeSpan.Zero);
        return Line.Of($"{d.Data.Steps.Count(s => Within(s) && s.Status == RestoreStepStatus.Verified)} of {d.Data.Steps.Count} table(s) within objectives; longest RTO {OperationPlan.Span(rto)}, RPO {OperationPlan.Span(rpo)}; drill tables ",
            d.Data.Steps.Where(s => s.Created).All(s => s.DeletedAt is not null) ? "deleted" : "not all deleted");
    }
}
