using System.Globalization;
using System.Text;
using System.Text.Json;
using Bot.Commands.Access;
using Bot.Integrations.Slack;
using Bot.Commands.Routing;
using Bot.Workflows.Audit;
using Bot.Workflows.Outbox;
using Bot.Workflows.Roles;
using Bot.Workflows.Storage;

namespace Bot.Commands.Outbox;

/// <summary>
/// <c>/sb outbox</c> (admins): what waits to be delivered and what was given up (dead letters: a permanent Slack error
/// such as <c>not_in_channel</c>, or too many failures); <c>/sb outbox replay &lt;id&gt;|all</c> puts dead letters back
/// in the queue, at the end of their channel, once. An outdated version of a card is dropped, not replayed over the
/// newer one. Every replay is on the audit trail.
/// </summary>
public sealed class OutboxCommand(DeadLetters deadLetters, IWorkflowStore store, IAuditLog audit, RoleGate roles, TimeProvider time) : ICommandHandler
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
            throw new UsageException($"{SlackText.Code(context.Arguments.Positional(0), 30)} is not an outbox action; use `replay <id>` or `replay all`, or nothing to list.");
        await roles.RequireAnyAsync(context.Request, [Role.Admin], action == "replay" ? "replay dead letters" : "look at the outbox", cancellationToken);

        if (action == "replay")
        {
            var target = context.Arguments.Positional(1) ?? throw new UsageException("Say which dead letter to replay (its id from `/sb outbox`), or `all`.");
            await ReplayAsync(context, target, cancellationToken);
            return;
        }
        await ListAsync(context, cancellationToken);
    }

    private async Task ListAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var pending = await store.CountPendingOutboxAsync(cancellationToken);
        var count = await deadLetters.CountAsync(cancellationToken);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $":outbox_tray: {pending} message(s) waiting for Slack; {count} given up (dead letters).");
        if (count > 0)
        {
            text.AppendLine().AppendLine();
            foreach (var dead in await deadLetters.ListAsync(ListLimit, cancellationToken)) text.AppendLine(Line(dead));
            if (count > ListLimit) text.AppendLine(CultureInfo.InvariantCulture, $"…and {count - ListLimit} more.");
            text.Append("`/sb outbox replay <id>` sends one again, `/sb outbox replay all` all of them (each at the end of its channel's queue).");
        }
        await context.RespondEphemeralAsync(text.ToString(), cancellationToken);
    }

    private static string Line(DeadLetter dead)
    {
        var m = dead.Message;
        var kind = m.UpdateKey is not null ? "edit of a card" : m.ThreadUnderKey is not null ? "thread reply" : "message";
        return $"• {SlackText.Code(m.Id, 40)} {kind} to {SlackText.Code(m.Channel, 30)}, given up {dead.FailedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC " +
               $"after {m.Attempts} attempt(s): {SlackText.Code(dead.Error, 60)} — {SlackText.Echo(m.Text, 80)}";
    }

    private async Task ReplayAsync(CommandContext context, string target, CancellationToken cancellationToken)
    {
        var ids = target.Equals("all", StringComparison.OrdinalIgnoreCase)
            ? (await deadLetters.ListAsync(ReplayAllLimit, cancellationToken)).Select(d => d.Message.Id).ToList()
            : [target];
        if (ids.Count == 0)
        {
            await context.RespondEphemeralAsync(":white_check_mark: There are no dead letters to replay.", cancellationToken);
            return;
        }

        var results = new List<(string Id, DeadLetterReplay Result)>();
        foreach (var id in ids) results.Add((id, await deadLetters.ReplayAsync(id, cancellationToken)));
        await audit.AppendAsync(new AuditDraft
        {
            At = time.GetUtcNow(),
            ActorId = context.Request.User.UserId,
            ActorName = context.Request.User.UserName,
            Action = "outbox:replay",
            RequestId = context.Request.RequestId,
            DetailsJson = JsonSerializer.Serialize(results.ToDictionary(r => r.Id, r => r.Result.ToString())),
        }, cancellationToken);

        var replayed = results.Count(r => r.Result == DeadLetterReplay.Replayed);
        var superseded = results.Count(r => r.Result == DeadLetterReplay.Superseded);
        var missing = results.Where(r => r.Result == DeadLetterReplay.NotFound).Select(r => r.Id).ToList();
        var text = new StringBuilder($":outbox_tray: Replayed {replayed} dead letter(s): each goes out again at the end of its channel's queue.");
        if (superseded > 0) text.Append(CultureInfo.InvariantCulture, $" Dropped {superseded} outdated version(s) of a card that a newer version replaces.");
        if (missing.Count > 0) text.Append(" No dead letter ").Append(string.Join(", ", missing.Take(5).Select(id => SlackText.Code(id, 40)))).Append(" (replayed or dropped already).");
        await context.RespondEphemeralAsync(text.ToString(), cancellationToken);
    }
}
