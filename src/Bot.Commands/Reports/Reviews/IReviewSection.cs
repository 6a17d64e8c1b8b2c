using Bot.Commands.Cloud;

namespace Bot.Commands.Reports.Reviews;

/// <summary>What a section reviews: the environment, the window (and the one before it), and which review asks.</summary>
public sealed record ReviewScope(ReviewKind Kind, SecureBaseEnvironment Environment, ReportWindow Window, SecureBaseOptions SecureBase);

/// <summary>
/// A part of the weekly or monthly review. Each reads its own data; one that fails is shown as unavailable with its reason
/// and the others still come (<see cref="ReviewBuilder"/>). A new part is a class and one registration line.
/// </summary>
public interface IReviewSection
{
    string Title { get; }

    /// <summary>Whether this review has the section.</summary>
    bool PartOf(ReviewKind kind);

    Task<ReportSection> BuildAsync(ReviewScope scope, CancellationToken cancellationToken);
}
