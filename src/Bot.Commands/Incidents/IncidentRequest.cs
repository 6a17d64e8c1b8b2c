using System.Text.Json;
using Bot.Commands.Access;
using Bot.Commands.Routing;
using Bot.Workflows.Engine;
using Bot.Workflows.Incidents;
using Bot.Workflows.Messages;
using Bot.Workflows.Storage;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Incidents;

/// <summary>
/// What <c>/sb note</c>, <c>/sb reassign</c> and <c>/sb update</c> share: find the incident (<c>#1234</c> or its id), fire the
/// trigger on it as the person who asked (the incident calls PagerDuty as them, after the request is saved), and answer
/// with what happens next — or why nothing does.
/// </summary>
public sealed class IncidentRequest(WorkflowEngine engine, IAggregateStore store)
{
    public async Task FireAsync(CommandContext context, IncidentTrigger trigger, string? input, Line accepted, CancellationToken cancellationToken)
    {
        var wanted = context.Arguments.Positional(0)
                     ?? throw new UsageException(Line.Of("Which incident? Give its number (", Code("#1234"), ") or PagerDuty id; ", Code("/sb incidents"), " lists them."));
        var incident = await IncidentReads.FindAsync(store, wanted, cancellationToken)
                       ?? throw new UserFacingException(Line.Of(Emoji("mag"), " I follow no incident ", Value(wanted), ". ", Code("/sb incidents"), " lists the open ones."));
        var outcome = await engine.FireAsync(WorkflowTrigger.For(Incident.Type, incident.Id, trigger, RoleGate.ActorOf(context.Request)) with
        {
            RequestId = context.Request.RequestId,
            IdempotencyKey = context.Request.RequestId is { Length: > 0 } id ? $"command:{context.User.UserId}:{id}" : null,
            ArgumentsJson = input is null ? null : JsonSerializer.Serialize(new { input }),
        }, cancellationToken);
        await context.RespondEphemeralAsync(outcome.IsTransitioned ? Line.Of(Emoji("hourglass_flowing_sand"), " ", accepted) : Line.Of(outcome.Describe()), cancellationToken);
    }
}
