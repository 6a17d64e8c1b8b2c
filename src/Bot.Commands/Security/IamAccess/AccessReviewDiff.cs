using Bot.Workflows.AccessReviews;

namespace Bot.Commands.Security.IamAccess;

/// <summary>What changed in a function's role since its previous review: statements added and removed, the role itself replaced.</summary>
public sealed record AccessReviewDiff(RoleSnapshot? Previous, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, bool RoleChanged)
{
    public bool First => Previous is null;
    public bool Unchanged => !First && Added.Count == 0 && Removed.Count == 0 && !RoleChanged;

    public static AccessReviewDiff Between(RoleSnapshot? previous, RoleSnapshot now) => previous is null
        ? new AccessReviewDiff(null, [], [], false)
        : new AccessReviewDiff(previous,
            now.Statements.Except(previous.Statements, StringComparer.Ordinal).ToList(),
            previous.Statements.Except(now.Statements, StringComparer.Ordinal).ToList(),
            previous.Role != now.Role);
}
