using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Microsoft.Extensions.Logging;

namespace Bot.Commands.Reports.Reviews;

/// <summary>
/// Builds a review from its sections (<see cref="IReviewSection"/>, in registration order), <see cref="SectionsAtOnce"/> at a time; a section that throws
/// becomes "could not be read" with the reason, and the rest still make the review.
/// </summary>
public sealed class ReviewBuilder(IEnumerable<IReviewSection> sections, TimeProvider time, ILogger<ReviewBuilder> logger)
{
    public IReadOnlyList<IReviewSection> SectionsOf(ReviewKind kind) => sections.Where(s => s.PartOf(kind)).ToList();

    /// <summary>How many sections read at once: enough to overlap their waits, few enough not to crowd the account's APIs.</summary>
    public const int SectionsAtOnce = 2;

    public async Task<Review> BuildAsync(ReviewScope scope, CancellationToken cancellationToken)
    {
        var parts = SectionsOf(scope.Kind);
        using var gate = new SemaphoreSlim(SectionsAtOnce);
        var built = await Task.WhenAll(parts.Select(s => BuildOneAsync(s, scope, gate, cancellationToken)));
        return new Review(scope.Kind, scope.Environment.Name, scope.Window, time.GetUtcNow(), built);
    }

    private async Task<ReportSection> BuildOneAsync(IReviewSection section, ReviewScope scope, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await section.BuildAsync(scope, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "The {Kind} review's {Section} section of {Environment} could not be built", scope.Kind, section.Title, scope.Environment.Name);
            var why = e is UserFacingException u ? u.Text.ToPlainText() : AwsFailures.ShortReason(e) ?? e.GetType().Name;
            return ReportSection.Unavailable(section.Title, why);
        }
        finally
        {
            gate.Release();
        }
    }
}
