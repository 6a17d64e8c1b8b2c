using System.Globalization;
using System.Text;
using System.Text.Json;
using Bot.Commands.Access;
using Bot.Commands.Routing;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.Workflows.Audit;
using Bot.Workflows.Messages;
using Bot.Workflows.Roles;
using Bot.Workflows.Storage;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Inbox;

/// <summary>
/// <c>/sb inbox</c> (admins): the PagerDuty events the bot could not handle for a day (dead letters: PagerDuty's REST API
/// down, a bug) — never dropped silently; <c>/sb inbox replay &lt;id&gt;|all</c> hands them to the incidents again (each
/// retried for another day). Every replay is on the audit trail. The outbox's own dead letters are <c>/sb outbox</c>'s.
/// </summary>
public sealed class InboxCommand(PagerDutyDeadLetters deadLetters, IAuditLog audit, RoleGate roles, TimeProvider time) : ICommandHandler
{
    public const int ListLimit = 20;
    public const int ReplayAllLimit = 500;

    public CommandSpec Spec { get; } = new()
    {
        Verb = "inbox",
        Summary = "PagerDuty events the bot could not handle for a day (dead letters); replay them (admins).",
        Usage = "/sb inbox [replay <id>|all]",
        MaxPositionals = 2,
        Examples = ["/sb inbox", "/sb inbox replay all"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var action = context.Arguments.Positional(0)?.ToLowerInvariant();
        if (action is not (null or "list" or "replay"))
            throw new UsageException(Line.Of(Value(context.Arguments.Positional(0), 30), " is not an inbox action; use ", Template("replay <id>"), " or ", Code("replay all"), ", or nothing to list."));
        await roles.RequireAnyAsync(context.Request, [Role.Admin], action == "replay" ? "replay PagerDuty's dead letters" : "look at PagerDuty's dead letters", cancellationToken);
        if (action == "replay")
        {
            var target = context.Arguments.Positional(1)
                         ?? throw new UsageException(Line.Of("Say which dead letter to replay (its id from ", Code("/sb inbox"), "), or ", Code("all"), "."));
            await ReplayAsync(context, target, cancellationToken);
            return;
        }
        var dead = await deadLetters.ListAsync(PagerDutyDeadLetters.Window, cancellationToken);
        var text = new LineBuilder(Emoji("inbox_tray"), string.Create(CultureInfo.InvariantCulture,
            $" {dead.Count} PagerDuty event(s) could not be handled for a day (dead letters); each other event is retried with a growing wait."));
        if (dead.Count > 0)
        {
            text.Add("\n\n");
            foreach (var item in dead.Take(ListLimit)) text.AddLine(Summary(item));
            if (dead.Count > ListLimit) text.AddLine(string.Create(CultureInfo.InvariantCulture, $"…and {dead.Count - ListLimit} more."));
            text.Add(Template("/sb inbox replay <id>"), " hands one to the incidents again, ", Code("/sb inbox replay all"), " all of them.");
        }
        await context.RespondEphemeralAsync(text, cancellationToken);
    }

    /// <summary>One dead letter in a line: its id, the event, its incident, when it arrived, how often it was tried and why it failed.</summary>
    private static Line Summary(WorkItem item)
    {
        var type = EventOf(item)?.EventType ?? "an event";
        return Line.Of("• ", Value(item.Id, 60), " ", Value(type, 40), item.AggregateId is { } incident ? Line.Of(" of incident ", Value(incident, 20)) : null,
            $", arrived {item.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, {item.Attempts} attempt(s): ",
            Echo(PagerDutyDeadLetters.Reason(item), 120));
    }

    /// <summary>The stored webhook's event, as far as it can be read (the inbox stores <c>{"Body": "…"}</c>).</summary>
    private static PagerDutyWebhookEvent? EventOf(WorkItem item)
    {
        try
        {
            using var payload = JsonDocument.Parse(item.PayloadJson);
            return payload.RootElement.TryGetProperty("Body", out var body) && body.GetString() is { } text
                ? PagerDutyWebhookParser.Parse(Encoding.UTF8.GetBytes(text), out _)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task ReplayAsync(CommandContext context, string target, CancellationToken cancellationToken)
    {
        var ids = target.Equals("all", StringComparison.OrdinalIgnoreCase)
            ? (await deadLetters.ListAsync(ReplayAllLimit, cancellationToken)).Select(d => d.Id).ToList()
            : [target];
        if (ids.Count == 0)
        {
            await context.RespondEphemeralAsync(Line.Of(Emoji("white_check_mark"), " There are no PagerDuty dead letters to replay."), cancellationToken);
            return;
        }
        var results = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var id in ids) results[id] = await deadLetters.ReplayAsync(id, cancellationToken);
        await audit.AppendAsync(new AuditDraft
        {
            At = time.GetUtcNow(),
            ActorId = context.Request.User.UserId,
            ActorName = context.Request.User.UserName,
            Action = "inbox:replay",
            RequestId = context.Request.RequestId,
            DetailsJson = JsonSerializer.Serialize(results),
        }, cancellationToken);
        var missing = results.Where(r => !r.Value).Select(r => r.Key).ToList();
        var text = new LineBuilder(Emoji("inbox_tray"), string.Create(CultureInfo.InvariantCulture,
            $" Replayed {results.Count(r => r.Value)} PagerDuty event(s): the incidents get them again, each retried for another day."));
        if (missing.Count > 0) text.Add(" No dead letter ", Line.Join(", ", missing.Take(5).Select(id => Line.Of(Value(id, 60)))), " (replayed already).");
        await context.RespondEphemeralAsync(text, cancellationToken);
    }
}
