namespace Bot.Integrations.PagerDuty.Rest;

/// <summary>
/// An open incident with the escalation level it is on (1 is the policy's first level; null when it cannot
/// be told, e.g. a direct assignment or nobody assigned), who that level's on-calls are, and when PagerDuty
/// escalates next by itself (from <c>pending_actions</c>).
/// </summary>
public sealed record IncidentEscalation(PagerDutyIncident Incident, int? Level, IReadOnlyList<PagerDutyReference> LevelOnCalls)
{
    public DateTimeOffset? NextEscalationAt => Incident.NextEscalationAt;
}

/// <summary>
/// Derives an incident's escalation level. PagerDuty's incident has no level field, but it is assigned to
/// the on-call users of the level it reached: the level whose on-calls share the most users with the
/// assignees is the current one (the lowest such level when a user is on call at several).
/// </summary>
public static class EscalationLevels
{
    public static IncidentEscalation Of(PagerDutyIncident incident, IReadOnlyList<PagerDutyOnCall> onCalls)
    {
        var policyId = incident.EscalationPolicy?.Id;
        var assignees = incident.Assignments.Select(a => a.Assignee?.Id).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var levels = onCalls
            .Where(o => o.User is not null && (policyId is null || o.EscalationPolicy?.Id is null || o.EscalationPolicy.Id == policyId))
            .GroupBy(o => o.EscalationLevel)
            .Select(g => (Level: g.Key, Users: g.Select(o => o.User!).DistinctBy(u => u.Id).ToList()))
            .OrderBy(l => l.Level)
            .ToList();

        var best = levels
            .Select(l => (l.Level, l.Users, Overlap: l.Users.Count(u => assignees.Contains(u.Id))))
            .Where(l => l.Overlap > 0)
            .OrderByDescending(l => l.Overlap).ThenBy(l => l.Level)
            .FirstOrDefault();
        return best.Overlap > 0
            ? new IncidentEscalation(incident, best.Level, best.Users)
            : new IncidentEscalation(incident, null, []);
    }
}
