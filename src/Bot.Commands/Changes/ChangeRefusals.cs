using System.Text.Json;
using Bot.Commands.Routing;
using Bot.Workflows.Audit;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Logging;

namespace Bot.Commands.Changes;

/// <summary>A change request refused by one of the rules (a freeze, one change per function, the rollback rules …): the rule's name and the words go on the audit trail.</summary>
public sealed class ChangeRefusedException(string rule, Line text) : UserFacingException(text)
{
    public string Rule { get; } = rule;
}

/// <summary>
/// Puts every refused change request on the audit trail — who tried what, and which rule refused it, in the words they
/// read — next to the command's own record. Nothing else is written: a refusal changes nothing.
/// </summary>
public sealed class ChangeRefusals(IAuditLog audit, TimeProvider time, ILogger<ChangeRefusals> logger)
{
    /// <summary>Runs <paramref name="request"/>; a <see cref="ChangeRefusedException"/> is audited, then passed on to be answered.</summary>
    public async Task AuditedAsync(Actor user, string requestId, string what, Func<Task> request, CancellationToken cancellationToken)
    {
        try
        {
            await request();
        }
        catch (ChangeRefusedException e)
        {
            await RecordAsync(user, requestId, what, e, cancellationToken);
            throw;
        }
    }

    private async Task RecordAsync(Actor user, string requestId, string what, ChangeRefusedException e, CancellationToken cancellationToken)
    {
        try
        {
            await audit.AppendAsync(new AuditDraft
            {
                At = time.GetUtcNow(),
                ActorId = user.UserId,
                ActorName = user.UserName,
                Action = "change refused",
                AggregateType = Bot.Workflows.Changes.Change.Type,
                RequestId = requestId,
                DetailsJson = JsonSerializer.Serialize(new { rule = e.Rule, request = what, reason = e.Text.ToPlainText() }),
            }, cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            logger.LogError(failure, "Could not write the audit record of a refused change ({Rule}) for request {RequestId}", e.Rule, requestId);
        }
    }
}
