using Bot.Commands.Routing;
using Bot.Workflows.Incidents;
using Bot.Workflows.Messages;
using Bot.Workflows.Roles;

namespace Bot.Commands.Incidents;

/// <summary>
/// <c>/sb reassign &lt;incident&gt; &lt;e-mail&gt;|&lt;@person&gt;|level N</c>: assigns the incident in PagerDuty, as the person who asked —
/// to someone directly (PagerDuty never escalates a direct assignment, so the bot's clock stops too, and the thread says
/// so) or to a level of the escalation policy (whose clock then runs from that level).
/// </summary>
public sealed class ReassignCommand(IncidentRequest incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "reassign",
        Summary = "Assign an incident in PagerDuty to a person (no escalation then) or to a level of the policy.",
        Usage = "/sb reassign <incident> <e-mail|@person|level N>",
        MaxPositionals = 3,
        Examples = ["/sb reassign #1234 bob@securebase.example", "/sb reassign #1234 level 2"],
        ChangesState = true,
        Roles = [Role.Responder],
        RolesNeededTo = "reassign an incident",
    };

    public Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        // "level 2" arrives as two words; a person as one.
        var target = string.Join(' ', context.Arguments.Positionals.Skip(1));
        return incidents.FireAsync(context, IncidentTrigger.Reassign, target.Length == 0 ? null : target,
            Line.Of("Reassigning it in PagerDuty; the thread says whom PagerDuty pages once it has."), cancellationToken);
    }
}
