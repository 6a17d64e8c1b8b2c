using System.Globalization;
using System.Text.Json;
using Bot.Commands.Access;
using Bot.Commands.Routing;
using Bot.Workflows.DeadLettering;
using Bot.Workflows.Audit;
using Bot.Workflows.Outbox;
using Bot.Workflows.Roles;
using Bot.Workflows.Storage;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Outbox;

/// <summary>
/// <c>/sb outbox</c> (admins): what waits to be delivered and what was given up (dead letters: a permanent Slack error
/// such as <c>not_in_channel</c>, or too many failures); <c>/sb outbox replay &lt;id&gt;|all</c> puts dead letters back
/// in the queue, at the end of their channel, once. An outdated version of a card is dropped, not replayed over the
/// newer one. Every replay is on the audit trail.
/// </summary>
public sealed class OutboxCommand(DeadLetters deadLetters, IOperationsStore store, IAuditLog audit, RoleGate roles, TimeProvider time) : ICommandHandler
{
    public const int ListLimit = 20;
    public const int ReplayAllLimit = 500;

    public CommandSpec Spec { get; } = new()
    {
        Verb = "outbox",
        Summary = "Messages waiting for Slack and those given up (dead letters); replay them (admins).",
        Usage = "/sb outbox [replay <id>|all]",
        MaxPositionals = 2,
        Examples = ["/sb outbox", "/sb outbox replay 3f2a9c…", "/sb outbox replay all"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var action = context.Arguments.Positional(0)?.ToLowerInvariant();
        if (action is not (null or "list" or "replay"))
            throw new UsageException(Line.Of(Value(context.Arguments.Positional(0), 30), " is not an outbox action; use ", Template("replay <id>"), " or ", Code("replay all"), ", or nothing to list."));
        await roles.RequireAnyAsync(context.Request, [Role.Admin], action == "replay" ? "replay dead letters" : "look at the outbox", cancellationToken);

        if (action == "replay")
        {
            var target = context.Arguments.Positional(1)
                         ?? throw new UsageException(Line.Of("Say which dead letter to replay (its id from ", Code("/sb outbox"), "), or ", Code("all"), "."));
            await ReplayAsync(context, target, cancellationToken);
            return;
        }
        await ListAsync(context, cancellationToken);
    }

    private async Task ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var pending = await store.CountPendingOutboxAsync(cancellationToken);
        var count = await deadLetters.CountAsync(cancellationToken);
        var text = new LineBuilder(Emoji("outbox_tray"), string.Create(CultureInfo.InvariantCulture, $" {pending} message(s) waiting for Slack; {count} given up (dead letters)."));
        if (count > 0)
        {
            text.Add("\n\n");
            foreach (var dead in await deadLetters.ListAsync(ListLimit, cancellationToken)) text.AddLine(Summary(dead));
            if (count > ListLimit) text.AddLine(string.Create(CultureInfo.InvariantCulture, $"…and {count - ListLimit} more."));
            text.Add(Template("/sb outbox replay <id>"), " sends one again, ", Code("/sb outbox replay all"), " all of them (each at the end of its channel's queue).");
        }
        await context.RespondEphemeralAsync(text, cancellationToken);
    }

    /// <summary>One dead letter in a line: its id, what it was, where to, when and why it was given up, and how it began.</summary>
    private static Line Summary(DeadLetter dead)
    {
        var m = dead.Message;
        var kind = m.UpdateKey is not null ? "edit of a card" : m.ThreadUnderKey is not null ? "thread reply" : "message";
        return Line.Of("• ", Value(m.Id, 40), $" {kind} to ", Value(m.Channel, 30),
            $", given up {dead.FailedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC after {m.Attempts} attempt(s): ",
            Value(dead.Error, 60), " — ", Echo(m.Text, 80));
    }

    private async Task ReplayAsync(CommandContext context, string target, CancellationToken cancellationToken)
    {
        var ids = target.Equals("all", StringComparison.OrdinalIgnoreCase)
            ? DeadLetters.Cards(await deadLetters.ListAsync(ReplayAllLimit, cancellationToken)).Select(c => c.Head.Message.Id).ToList()
            : [target];
        await DeadLetterReplays.RunAsync(context, ids, deadLetters.ReplayAsync, audit, time, "outbox:replay", "each goes out again at the end of its channel's queue.",
            cancellationToken);
    }
}
