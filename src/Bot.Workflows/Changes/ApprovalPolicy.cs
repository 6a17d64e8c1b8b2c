using Bot.Workflows.Roles;

namespace Bot.Workflows.Changes;

/// <summary>
/// Who must approve a change. Each required role is a seat filled by a <em>different</em> person: one approver for a
/// Standard or Emergency change; a tech lead and an ops manager for a Major one; and, when the change is
/// security-relevant, a security reviewer on top. Every approver holds the approver role at the moment it counts, and
/// approved the exact digest; the requester never counts. One person holding several roles fills one seat only.
/// </summary>
public static class ApprovalPolicy
{
    /// <summary>The seats of <paramref name="data"/>, one role each, in the order the card names them.</summary>
    public static IReadOnlyList<string> RequiredRoles(ChangeData data)
    {
        var roles = data.Category == ChangeCategory.Major ? new List<string> { Role.TechLead, Role.OpsManager } : [Role.Approver];
        if (data.SecurityRelevant) roles.Add(Role.Security);
        return roles;
    }

    /// <summary>How many different people a complete set of approvals has (for "1 of 2 approvals").</summary>
    public static int Needed(ChangeData data) => RequiredRoles(data).Count;

    /// <summary>
    /// Which approval fills which seat (the largest assignment of different people to seats), which seats are empty,
    /// and the approvals that count for nothing right now, with why.
    /// </summary>
    public static ApprovalAssessment Assess(ChangeData data, IReadOnlyList<ApprovalRecord> approvals)
    {
        var seats = RequiredRoles(data);
        var usable = approvals.Where(a => Why(data, a) is null).ToList();
        var seatOf = new int[usable.Count];
        Array.Fill(seatOf, -1);
        var holder = new int[seats.Count];
        Array.Fill(holder, -1);
        // Kuhn's augmenting paths: at most three seats and a handful of people.
        for (var seat = 0; seat < seats.Count; seat++) TryFill(seat, new bool[usable.Count]);

        bool TryFill(int seat, bool[] tried)
        {
            for (var p = 0; p < usable.Count; p++)
            {
                if (tried[p] || !usable[p].Roles.Contains(seats[seat])) continue;
                tried[p] = true;
                // Free, or the seat this person holds can be filled by someone else (who then holds it): take this one.
                if (seatOf[p] < 0 || TryFill(seatOf[p], tried))
                {
                    seatOf[p] = seat;
                    holder[seat] = p;
                    return true;
                }
            }
            return false;
        }

        var filled = new List<FilledSeat>();
        var empty = new List<EmptySeat>();
        for (var seat = 0; seat < seats.Count; seat++)
        {
            if (holder[seat] >= 0) filled.Add(new FilledSeat(seats[seat], usable[holder[seat]]));
            else empty.Add(new EmptySeat(seats[seat], usable.Where(a => a.Roles.Contains(seats[seat])).Select(a => a.Name).ToList()));
        }
        var idle = approvals.Where(a => filled.All(f => f.Approval.UserId != a.UserId))
            .Select(a => new IdleApproval(a, Why(data, a) ?? Lost(a) ?? NoSeatLeft))
            .ToList();
        return new ApprovalAssessment(filled, empty, idle);
    }

    /// <summary>The seats still empty, in words ("an ops manager (someone other than @max)"); empty when complete.</summary>
    public static IReadOnlyList<string> Missing(ChangeData data, IReadOnlyList<ApprovalRecord> approvals) =>
        Assess(data, approvals).Empty.Select(e => e.InWords()).ToList();

    /// <summary>True when <paramref name="candidate"/> added to the approvals so far fills one more seat.</summary>
    public static bool WouldCount(ChangeData data, ApprovalRecord candidate) =>
        Assess(data, [.. data.Approvals, candidate]).Filled.Count > Assess(data, data.Approvals).Filled.Count;

    /// <summary>Why an idle approval that could still fill a seat does not: the seats it could fill are taken.</summary>
    public const string NoSeatLeft = "fills no seat that is still open";

    private static string? Lost(ApprovalRecord a) =>
        a.LostRoles.Count == 0 ? null : "no longer " + string.Join(" or ", a.LostRoles.Select(Role.InWords));

    /// <summary>Why an approval counts for nothing whatever the seats (null when it may fill one).</summary>
    private static string? Why(ChangeData data, ApprovalRecord a)
    {
        if (a.UserId == data.RequesterId) return "the requester never approves their own change";
        if (a.Digest != data.Digest) return "it approved another version of this change";
        if (!a.Roles.Contains(Role.Approver)) return "no longer holds the approver role";
        return null;
    }
}

/// <summary>What the approvals of a change add up to; see <see cref="ApprovalPolicy.Assess"/>.</summary>
public sealed record ApprovalAssessment(IReadOnlyList<FilledSeat> Filled, IReadOnlyList<EmptySeat> Empty, IReadOnlyList<IdleApproval> Idle)
{
    public bool Complete => Empty.Count == 0;
}

/// <summary>A required role and the approval that fills it.</summary>
public sealed record FilledSeat(string Role, ApprovalRecord Approval);

/// <summary>A required role nobody fills yet; <see cref="Taken"/> names approvers who hold it but already fill another seat.</summary>
public sealed record EmptySeat(string Role, IReadOnlyList<string> Taken)
{
    public string InWords() => Roles.Role.InWords(Role) + (Taken.Count > 0 ? $" (someone other than {string.Join(" or ", Taken.Select(n => "@" + n))})" : "");
}

/// <summary>An approval that counts for nothing now, and why (e.g. its approver lost the role).</summary>
public sealed record IdleApproval(ApprovalRecord Approval, string Why);
