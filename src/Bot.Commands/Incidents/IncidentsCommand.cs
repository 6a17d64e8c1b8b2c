using Bot.Commands.Routing;
using Bot.Workflows.Incidents;
using Bot.Workflows.Messages;
using Bot.Workflows.Storage;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Incidents;

/// <summary><c>/sb incidents</c>: the open incidents, their level and the time left before the next escalation. Read-only.</summary>
public sealed class IncidentsCommand(IAggregateStore store, TimeProvider time) : ICommandHandler
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

    internal static Line Render(IReadOnlyList<Incident> open, DateTimeOffset now)
    {
        if (open.Count == 0) return Line.Of(Emoji("white_check_mark"), " No open incidents.");
        var text = new LineBuilder(Emoji("rotating_light"), $" {open.Count} open incident(s):");
        foreach (var incident in open.Take(Shown)) text.Add("\n• ", Summary(incident, now));
        if (open.Count > Shown) text.Add($"\n…and {open.Count - Shown} more.");
        return text;
    }

    /// <summary>One incident in a line: its label, id, state, level, next escalation, title and service.</summary>
    internal static Line Summary(Incident incident, DateTimeOffset now)
    {
        var d = incident.Data;
        var state = incident.CurrentState == IncidentState.Triggered
            ? Line.Of(Emoji("red_circle"), " triggered")
            : Line.Of(Emoji("large_yellow_circle"), " acknowledged by ", Echo(d.AcknowledgedBy ?? "someone", 60));
        var level = Line.Of($"level {d.Level + 1} of {d.Levels.Count} (", Echo(d.CurrentLevel.Name, 40), ")");
        var next = incident.CurrentState != IncidentState.Triggered || d.DeadlineAt is not { } due ? Line.Empty
            : d.NextLevel is { } nextLevel ? Line.Of(" · escalates to ", Echo(nextLevel.Name, 40), $" {Left(due - now)}") : Line.Of($" · last level, reminder {Left(due - now)}");
        var quiet = d.Quiet ? Line.Of(" · ", Emphasis("storm, no thread")) : Line.Empty;
        return Line.Of(Strong(incident.Label), " ", Value(incident.Id), " ", state, " · ", level, next, quiet, " — ", Echo(d.Title, 120),
            d.Service is { } service ? Line.Of(" (", Echo(service, 60), ")") : null);
    }

    private static string Left(TimeSpan span) => span <= TimeSpan.Zero ? "now (overdue)" : $"in {Incident.Minutes(span)}";
}
