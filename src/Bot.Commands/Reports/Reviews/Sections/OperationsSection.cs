using Bot.Commands.Changes;
using Bot.Workflows.Changes;
using Bot.Workflows.Incidents;
using Bot.Workflows.Messages;
using Bot.Workflows.Storage;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Reviews.Sections;

/// <summary>
/// The bot's own operations in the window, from its store: changes by category and outcome, rollbacks (asked for, and made by
/// the watch), break-glass changes and their reviews, incidents with their time to acknowledge and to resolve, and
/// escalations. ⚠️ for a change that failed or was rolled back, an unreviewed break-glass change, an incident that escalated
/// or is still open.
/// </summary>
public sealed class OperationsSection(ChangeReader changes, IAggregateStore store) : IReviewSection
{
    public const int MaxRead = 500;

    public string Title => "The bot's operations";

    public bool PartOf(ReviewKind kind) => true;

    public async Task<ReportSection> BuildAsync(ReviewScope scope, CancellationToken cancellationToken)
    {
        var (start, end) = (scope.Window.Start, scope.Window.End);
        var recent = (await changes.RecentAsync(start, MaxRead, cancellationToken))
            .Where(c => c.Data.RequestedAt >= start && c.Data.RequestedAt < end && string.Equals(c.Data.Spec.Environment, scope.Environment.Name, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var incidents = (await store.ListAggregatesAsync(Incident.Type, start, MaxRead, cancellationToken))
            .Select(r => (Incident)Incident.Definition.Restore(r))
            .Where(i => i.Data.TriggeredAt >= start && i.Data.TriggeredAt < end && !i.Data.Rehearsal)
            .ToList();

        var lines = new List<Line>();
        var actions = new List<ReviewAction>();
        var byCategory = recent.GroupBy(c => c.Data.Category).OrderBy(g => g.Key)
            .Select(g => $"{g.Key}: {g.Count()} ({string.Join(", ", g.GroupBy(c => c.CurrentState).OrderBy(s => s.Key).Select(s => $"{s.Count()} {Outcome(s.Key)}"))})");
        var failed = recent.Where(c => c.CurrentState is ChangeState.Failed or ChangeState.RolledBack or ChangeState.NotVerified).ToList();
        lines.Add(Line.Of(Emoji(failed.Count > 0 ? "warning" : "white_check_mark"), $" Changes: {recent.Count}",
            recent.Count == 0 ? " in the period" : $" — {string.Join("; ", byCategory)}"));
        foreach (var c in failed)
            actions.Add(new ReviewAction(ActionArea.Operations, Line.Of($"Review the {Outcome(c.CurrentState)} change ", Code(c.Id), ": ", Code($"/sb change {c.Id}"))));

        var asked = recent.Count(c => c.Data.Spec.Kind == ChangeKind.Rollback);
        var automatic = recent.Count(c => c.CurrentState == ChangeState.RolledBack);
        lines.Add(Line.Of(Emoji(automatic > 0 ? "warning" : "white_check_mark"), $" Rollbacks: {asked} asked for, {automatic} made by the watch after a change"));

        var glass = recent.Where(c => c.Data.BreakGlass).ToList();
        var unreviewed = glass.Where(c => c.Data.Unreviewed).ToList();
        lines.Add(Line.Of(Emoji(unreviewed.Count > 0 ? "warning" : "white_check_mark"), $" Break-glass changes: {glass.Count}, {glass.Count - unreviewed.Count} reviewed"));
        foreach (var c in unreviewed)
            actions.Add(new ReviewAction(ActionArea.Security, Line.Of("Review break-glass change ", Code(c.Id), ": ", Code($"/sb change {c.Id}"))));

        var acked = incidents.Where(i => i.Data.AcknowledgedAt is not null).Select(i => i.Data.AcknowledgedAt!.Value - i.Data.TriggeredAt).ToList();
        var resolved = incidents.Where(i => i.Data.ResolvedAt is not null).Select(i => i.Data.ResolvedAt!.Value - i.Data.TriggeredAt).ToList();
        var escalations = incidents.Sum(i => i.Data.Escalations.Count);
        var open = incidents.Count(i => i.CurrentState != IncidentState.Resolved);
        lines.Add(Line.Of(Emoji(escalations > 0 || open > 0 ? "warning" : "white_check_mark"),
            $" Incidents: {incidents.Count} ({open} still open); time to acknowledge {Times(acked)}; time to resolve {Times(resolved)}; {escalations} escalation(s)"));
        if (open > 0) actions.Add(new ReviewAction(ActionArea.Operations, Line.Of($"{open} incident(s) of the period still open: ", Code("/sb incidents"))));

        var warned = failed.Count > 0 || automatic > 0 || unreviewed.Count > 0 || escalations > 0 || open > 0;
        return new ReportSection(Title, warned ? SectionHealth.Attention : SectionHealth.Healthy, lines) { Actions = actions };
    }

    private static string Outcome(ChangeState state) => state switch
    {
        ChangeState.RolledBack => "rolled back",
        ChangeState.NotVerified => "not verified",
        ChangeState.PendingApproval => "waiting for approval",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <summary>"mean 12m, longest 40m", or "–" when there were none.</summary>
    private static string Times(IReadOnlyList<TimeSpan> spans) => spans.Count == 0 ? "–"
        : $"mean {Cloud.DurationParser.Format(TimeSpan.FromSeconds(spans.Average(s => s.TotalSeconds)))}, longest {Cloud.DurationParser.Format(spans.Max())}";
}
