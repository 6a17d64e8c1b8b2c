using Bot.Commands.Cloud;
using Bot.Commands.Cloud.Cost;
using Bot.Commands.Reports.Optimization;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Reviews.Sections;

/// <summary>
/// The guide's four "Optimization Recommendations" computed from the account (<see cref="IRecommender"/>: Lambda memory,
/// unused indexes, S3 lifecycle, log retention), each with what it found and the step to take; one that cannot be read says
/// why and the others still come.
/// </summary>
public sealed class CostOptimizationSection(IEnumerable<IRecommender> recommenders, IOptions<SecureBaseOptions> options, TimeProvider time) : IReviewSection
{
    public string Title => "Cost optimization";

    public bool PartOf(ReviewKind kind) => kind == ReviewKind.Monthly;

    public async Task<ReportSection> BuildAsync(ReviewScope scope, CancellationToken cancellationToken)
    {
        var environments = options.Value.Environments.Values.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        var now = time.GetUtcNow();
        var results = await Task.WhenAll(recommenders.Select(async r =>
        {
            try
            {
                return (r.Title, Found: await r.FindAsync(environments, now, cancellationToken), Problem: (string?)null);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return (r.Title, Found: (IReadOnlyList<Recommendation>)[], Problem: e is Routing.UserFacingException u ? u.Text.ToPlainText() : AwsFailures.ShortReason(e) ?? e.GetType().Name);
            }
        }));
        var lines = new List<Line>();
        foreach (var (title, found, problem) in results)
        {
            lines.Add(problem is not null ? Line.Of(Emoji("x"), $" {title}: could not be read ({problem})")
                : found.Count == 0 ? Line.Of(Emoji("white_check_mark"), $" {title}: nothing to change")
                : Line.Of(Emoji("warning"), $" {title}: {found.Count} found"));
            lines.AddRange(found.Select(f => Line.Of("    • ", f.Finding)));
        }
        var saving = results.SelectMany(r => r.Found).Sum(f => f.MonthlySaving ?? 0);
        if (saving > 0) lines.Add(Line.Of("Estimated saving of the steps with an estimate: ", Strong(CostMessages.Money(saving, "USD")), " a month."));
        var actions = results.SelectMany(r => r.Found).Select(f => new ReviewAction(ActionArea.CostOptimization, f.Step)).ToList();
        var health = results.Any(r => r.Problem is not null) && results.All(r => r.Found.Count == 0) ? SectionHealth.Attention
            : actions.Count > 0 || results.Any(r => r.Problem is not null) ? SectionHealth.Attention : SectionHealth.Healthy;
        return new ReportSection(Title, health, lines) { Actions = actions };
    }
}
