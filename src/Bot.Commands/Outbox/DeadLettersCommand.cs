using System.Globalization;
using Bot.Commands.Access;
using Bot.Commands.Routing;
using Bot.Workflows.Audit;
using Bot.Workflows.DeadLettering;
using Bot.Workflows.Messages;
using Bot.Workflows.Roles;
using Bot.Workflows.Storage;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Outbox;

/// <summary>
/// <c>/sb deadletters</c> (admins): everything the bot gave up on and keeps for an admin — outbox messages, timers, activities and
/// PagerDuty events that failed too often — each with what it was for, when it was given up, after how many attempts and its last
/// error; <c>/sb deadletters replay &lt;id&gt;|all</c> runs them again from a fresh count of attempts (a message at the end of its
/// channel's queue; an outdated version of a card is dropped). Every replay is on the audit trail.
/// </summary>
public sealed class DeadLettersCommand(DeadLetters deadLetters, IAuditLog audit, RoleGate roles, TimeProvider time) : ICommandHandler
{
    public const int ListLimit = 20;
    public const int ReplayAllLimit = 500;

    public CommandSpec Spec { get; } = new()
    {
        Verb = "deadletters",
        Summary = "What the bot gave up on (messages, timers, activities, PagerDuty events) with the last error; replay them (admins).",
        Usage = "/sb deadletters [replay <id>|all]",
        MaxPositionals = 2,
        Examples = ["/sb deadletters", "/sb deadletters replay change/42/preflight@3", "/sb deadletters replay all"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var action = context.Arguments.Positional(0)?.ToLowerInvariant();
        if (action is not (null or "list" or "replay"))
            throw new UsageException(Line.Of(Value(context.Arguments.Positional(0), 30), " is not a dead-letter action; use ", Template("replay <id>"), " or ", Code("replay all"),
                ", or nothing to list."));
        await roles.RequireAnyAsync(context.Request, [Role.Admin], action == "replay" ? "replay dead letters" : "look at the dead letters", cancellationToken);

        if (action == "replay")
        {
            var target = context.Arguments.Positional(1)
                         ?? throw new UsageException(Line.Of("Say which dead letter to replay (its id from ", Code("/sb deadletters"), "), or ", Code("all"), "."));
            var ids = target.Equals("all", StringComparison.OrdinalIgnoreCase)
                ? (await deadLetters.ListAllAsync(ReplayAllLimit, cancellationToken)).Select(d => d.Id).ToList()
                : [target];
            await DeadLetterReplays.RunAsync(context, ids, deadLetters.ReplayAnyAsync, audit, time, "deadletters:replay",
                "each runs again from a fresh count of attempts.", cancellationToken);
            return;
        }
        await ListAsync(context, cancellationToken);
    }

    private async Task ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var counts = await deadLetters.CountAllAsync(cancellationToken);
        if (counts.Total == 0)
        {
            await context.RespondEphemeralAsync(Line.Of(Emoji("white_check_mark"), " Nothing was given up: no dead letters."), cancellationToken);
            return;
        }
        var text = new LineBuilder(Emoji("warning"), string.Create(CultureInfo.InvariantCulture, $" {counts.Total} given up (dead letters): {Describe(counts)}."), "\n\n");
        foreach (var dead in await deadLetters.ListAllAsync(ListLimit, cancellationToken)) text.AddLine(Summary(dead));
        if (counts.Total > ListLimit) text.AddLine(string.Create(CultureInfo.InvariantCulture, $"…and {counts.Total - ListLimit} more."));
        text.Add(Template("/sb deadletters replay <id>"), " runs one again, ", Code("/sb deadletters replay all"), " all of them.");
        await context.RespondEphemeralAsync(text, cancellationToken);
    }

    /// <summary>The counts by kind, e.g. "1 message, 2 timers, 1 activity".</summary>
    public static string Describe(DeadLetterCounts counts)
    {
        var parts = new List<string>();
        if (counts.Messages > 0) parts.Add(Count(counts.Messages, DeadLetters.MessageKind));
        if (counts.Timers > 0) parts.Add(Count(counts.Timers, DeadLetters.TimerKind));
        foreach (var (queue, n) in counts.WorkByQueue.Where(q => q.Value > 0).OrderBy(q => q.Key, StringComparer.Ordinal)) parts.Add(Count(n, queue));
        return string.Join(", ", parts);
    }

    private static string Count(int n, string kind) => string.Create(CultureInfo.InvariantCulture, $"{n} {KindName(kind)}{(n == 1 ? "" : "s")}");

    /// <summary>What a person calls a kind of dead letter.</summary>
    public static string KindName(string kind) => kind switch
    {
        WorkQueues.Activities => "change activity",
        WorkQueues.IncidentActivities => "incident activity",
        WorkQueues.PagerDutyEvents => "PagerDuty event",
        _ => kind,
    };

    /// <summary>One dead letter in a line: its kind and id, what it was for, when and why it was given up, and how a message began.</summary>
    private static Line Summary(DeadLetterEntry dead)
    {
        var line = Line.Of("• ", KindName(dead.Kind), " ", Value(dead.Id, 80), " — ", Echo(dead.What, 120),
            $", given up {dead.FailedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC after {dead.Attempts} attempt(s): ",
            Value(dead.Error, 80));
        if (dead.Text is { Length: > 0 } text) line = Line.Of(line, " — ", Echo(text, 80));
        return dead.WaitingWithIt > 0
            ? Line.Of(line, string.Create(CultureInfo.InvariantCulture, $" (with {dead.WaitingWithIt} edit(s) and thread line(s) of it, which come back with it)"))
            : line;
    }
}
