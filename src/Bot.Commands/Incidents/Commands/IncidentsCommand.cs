using System.Text;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Workflows.Incidents;
using Bot.Workflows.Storage;

namespace Bot.Commands.Incidents.Commands;

/// <summary><c>/sb incidents</c>: the open incidents, their level and the time left before the next escalation. Read-only.</summary>
public sealed class IncidentsCommand(IWorkflowStore store, TimeProvider time) : ICommandHandler
{
    public const int Shown = 25;

    public CommandSpec Spec { get; } = new()
    {
        Verb = "incidents",
        Summary = "Open PagerDuty incidents: status, escalation level and the time left before the next escalation.",
        Usage = "/sb incidents",
        MaxPositionals = 0,
        Examples = ["/sb incidents"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var open = await IncidentReads.OpenAsync(store, cancellationToken);
        await context.RespondEphemeralAsync(Render(open, time.GetUtcNow()), cancellationToken);
    }

    internal static string Render(IReadOnlyList<Incident> open, DateTimeOffset now)
    {
        if (open.Count == 0) return ":white_check_mark: No open incidents.";
        var text = new StringBuilder($":rotating_light: {open.Count} open incident(s):");
        foreach (var incident in open.Take(Shown)) text.Append("\n• ").Append(Line(incident, now));
        if (open.Count > Shown) text.Append($"\n…and {open.Count - Shown} more.");
        return text.ToString();
    }

    internal static string Line(Incident incident, DateTimeOffset now)
    {
        var d = incident.Data;
        var state = incident.CurrentState == IncidentState.Triggered
            ? ":red_circle: triggered"
            : $":large_yellow_circle: acknowledged by {SlackText.Echo(d.AcknowledgedBy ?? "someone", 60)}";
        var level = $"level {d.Level + 1} of {d.Levels.Count} ({SlackText.Echo(d.CurrentLevel.Name, 40)})";
        var next = incident.CurrentState != IncidentState.Triggered || d.DeadlineAt is not { } due ? ""
            : d.NextLevel is { } nextLevel ? $" · escalates to {SlackText.Echo(nextLevel.Name, 40)} {Left(due - now)}" : $" · last level, reminder {Left(due - now)}";
        var quiet = d.Quiet ? " · _storm, no thread_" : "";
        return $"*{SlackText.Escape(incident.Label)}* {SlackText.Code(incident.Id)} {state} · {level}{next}{quiet} — {SlackText.Echo(d.Title, 120)}" +
               (d.Service is { } service ? $" ({SlackText.Echo(service, 60)})" : "");
    }

    private static string Left(TimeSpan span) => span <= TimeSpan.Zero ? "now (overdue)" : $"in {Incident.Minutes(span)}";
}
