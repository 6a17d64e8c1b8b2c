using System.Globalization;
using System.Text.Json;
using Bot.Commands.Routing;
using Bot.Workflows.Audit;
using Bot.Workflows.Messages;
using Bot.Workflows.Storage;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Outbox;

/// <summary>
/// The replay half of <c>/sb outbox</c> and <c>/sb deadletters</c>: replays each id once, records who did it on the audit trail,
/// and answers how many went out again, how many were outdated versions of a card (dropped), and which ids were not found.
/// </summary>
internal static class DeadLetterReplays
{
    public static async Task RunAsync(CommandContext context, IReadOnlyList<string> ids, Func<string, CancellationToken, Task<DeadLetterReplay>> replay,
        IAuditLog audit, TimeProvider time, string action, string whereAgain, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            await context.RespondEphemeralAsync(Line.Of(Emoji("white_check_mark"), " There are no dead letters to replay."), cancellationToken);
            return;
        }

        var results = new List<(string Id, DeadLetterReplay Result)>();
        foreach (var id in ids) results.Add((id, await replay(id, cancellationToken)));
        await audit.AppendAsync(new AuditDraft
        {
            At = time.GetUtcNow(),
            ActorId = context.Request.User.UserId,
            ActorName = context.Request.User.UserName,
            Action = action,
            RequestId = context.Request.RequestId,
            DetailsJson = JsonSerializer.Serialize(results.ToDictionary(r => r.Id, r => r.Result.ToString())),
        }, cancellationToken);

        var replayed = results.Count(r => r.Result == DeadLetterReplay.Replayed);
        var superseded = results.Count(r => r.Result == DeadLetterReplay.Superseded);
        var missing = results.Where(r => r.Result == DeadLetterReplay.NotFound).Select(r => r.Id).ToList();
        var text = new LineBuilder(Emoji("outbox_tray"), string.Create(CultureInfo.InvariantCulture, $" Replayed {replayed} dead letter(s): {whereAgain}"));
        if (superseded > 0) text.Add(string.Create(CultureInfo.InvariantCulture, $" Dropped {superseded} outdated version(s) of a card that a newer version replaces."));
        if (missing.Count > 0) text.Add(" No dead letter ", Line.Join(", ", missing.Take(5).Select(id => Line.Of(Value(id, 80)))), " (replayed or dropped already).");
        await context.RespondEphemeralAsync(text, cancellationToken);
    }
}
