using Bot.Commands.Routing;
using Bot.Workflows.Incidents;
using Bot.Workflows.Messages;
using Bot.Workflows.Roles;

namespace Bot.Commands.Incidents;

/// <summary>
/// <c>/sb update &lt;incident&gt; "…"</c>: publishes a PagerDuty status update (to the incident's stakeholders and
/// subscribers), as the person; the thread shows it once PagerDuty has it.
/// </summary>
public sealed class UpdateCommand(IncidentRequest incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "update",
        Summary = "Publish a PagerDuty status update on an incident to its stakeholders (shown in its thread).",
        Usage = "/sb update <incident> \"<text>\"",
        MaxPositionals = 2,
        Examples = ["/sb update #1234 \"Logins work again; we watch the error rate for 30 min\""],
        ChangesState = true,
        Roles = [Role.Responder],
        RolesNeededTo = "publish an incident's status update",
    };

    public Task HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        incidents.FireAsync(context, IncidentTrigger.PublishUpdate, context.Arguments.Positional(1),
            Line.Of("Publishing your status update in PagerDuty; it shows in the incident's thread once PagerDuty has it."), cancellationToken);
}
