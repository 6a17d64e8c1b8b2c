using Bot.Commands.Routing;
using Bot.Workflows.Incidents;
using Bot.Workflows.Messages;
using Bot.Workflows.Roles;

namespace Bot.Commands.Incidents;

/// <summary>
/// <c>/sb note &lt;incident&gt; "…"</c>: a note on the incident's PagerDuty timeline, written as the person (their PagerDuty
/// account); the thread shows it once PagerDuty has it — once, though PagerDuty's webhook tells of it again.
/// </summary>
public sealed class NoteCommand(IncidentRequest incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "note",
        Summary = "Add a note to an incident's PagerDuty timeline (shown in its thread).",
        Usage = "/sb note <incident> \"<text>\"",
        MaxPositionals = 2,
        Examples = ["/sb note #1234 \"Rolled PROD back to v41; errors dropping\""],
        ChangesState = true,
        Roles = [Role.Responder],
        RolesNeededTo = "add to an incident's timeline",
    };

    public Task HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        incidents.FireAsync(context, IncidentTrigger.AddNote, context.Arguments.Positional(1),
            Line.Of("Adding your note to PagerDuty's timeline; it shows in the incident's thread once PagerDuty has it."), cancellationToken);
}
