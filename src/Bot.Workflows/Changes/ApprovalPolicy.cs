using Bot.Workflows.Roles;

namespace Bot.Workflows.Changes;

/// <summary>
/// Who must approve a change: one approver for a Standard or Emergency change; a tech lead and an ops manager, two
/// different people, for a Major one; and someone from security as well when the change is security-relevant. Every
/// approver holds the approver role; the requester never counts.
/// </summary>
public static class ApprovalPolicy
{
    /// <summary>The roles still needed, in words ("a tech lead", "an ops manager"), given these approvals; empty when complete.</summary>
    public static IReadOnlyList<string> Missing(ChangeData data, IReadOnlyList<ApprovalRecord> approvals)
    {
        var missing = new List<string>();
        if (data.Category == ChangeCategory.Major)
        {
            if (!CoversMajor(approvals))
            {
                var techLeads = approvals.Where(a => a.Roles.Contains(Role.TechLead)).ToList();
                var managers = approvals.Where(a => a.Roles.Contains(Role.OpsManager)).ToList();
                if (techLeads.Count == 0) missing.Add(Role.InWords(Role.TechLead));
                if (managers.Count == 0 || (techLeads.Count > 0 && managers.All(m => techLeads.All(t => t.UserId == m.UserId))))
                    missing.Add(Role.InWords(Role.OpsManager) + (managers.Count > 0 ? " (another person)" : ""));
                if (techLeads.Count > 0 && managers.Count > 0 && missing.Count == 0) missing.Add("a second person");
            }
        }
        else if (approvals.Count == 0)
        {
            missing.Add(Role.InWords(Role.Approver));
        }
        if (data.SecurityRelevant && !approvals.Any(a => a.Roles.Contains(Role.Security)))
            missing.Add(Role.InWords(Role.Security));
        return missing;
    }

    /// <summary>How many approvals a complete set has at least (for "1 of 2 approvals").</summary>
    public static int Needed(ChangeData data) =>
        (data.Category == ChangeCategory.Major ? 2 : 1) + (data.SecurityRelevant && data.Category != ChangeCategory.Major ? 1 : 0);

    /// <summary>True when <paramref name="candidate"/> added to the approvals so far would remove something still missing.</summary>
    public static bool WouldCount(ChangeData data, ApprovalRecord candidate)
    {
        var before = Missing(data, data.Approvals);
        var after = Missing(data, [.. data.Approvals, candidate]);
        return after.Count < before.Count || (before.Count > 0 && !after.SequenceEqual(before));
    }

    private static bool CoversMajor(IReadOnlyList<ApprovalRecord> approvals) =>
        approvals.Any(t => t.Roles.Contains(Role.TechLead) && approvals.Any(m => m.UserId != t.UserId && m.Roles.Contains(Role.OpsManager)));
}
