using Bot.Commands.Security;
using Bot.Workflows.Messages;

namespace Bot.Commands.Reports.Reviews.Sections;

/// <summary>
/// The security lines of the security operations (<see cref="SecuritySummary"/>): secret ages, the failed-login trend, access-review
/// changes, break-glass reviews; its actions are the credential rotations due and the reviews to do. An area it could not
/// read is named in its lines.
/// </summary>
public sealed class SecuritySection(SecuritySummary summary) : IReviewSection
{
    public string Title => "Security";

    public bool PartOf(ReviewKind kind) => true;

    public async Task<ReportSection> BuildAsync(ReviewScope scope, CancellationToken cancellationToken)
    {
        var lines = await summary.WeeklyAsync(scope.Environment, cancellationToken);
        var actions = lines.Actions.Select(a => new ReviewAction(
            a.ToPlainText().StartsWith("Rotate ", StringComparison.Ordinal) || a.ToPlainText().StartsWith("Configure rotation", StringComparison.Ordinal) ? ActionArea.CredentialRotations : ActionArea.Security, a)).ToList();
        return new ReportSection(Title, lines.Healthy ? SectionHealth.Healthy : SectionHealth.Attention, lines.Lines) { Actions = actions };
    }
}
