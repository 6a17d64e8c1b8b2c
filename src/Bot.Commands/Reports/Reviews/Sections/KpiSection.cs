using Bot.Commands.Reports.Kpis;

namespace Bot.Commands.Reports.Reviews.Sections;

/// <summary>The month's KPIs against the procedures' targets (<see cref="KpiReader"/>, the same as <c>/sb kpis</c>).</summary>
public sealed class KpiSection(KpiReader reader) : IReviewSection
{
    public string Title => "KPIs";

    public bool PartOf(ReviewKind kind) => kind == ReviewKind.Monthly;

    public async Task<ReportSection> BuildAsync(ReviewScope scope, CancellationToken cancellationToken)
    {
        var report = await reader.ReadAsync(scope.Environment, scope.Window, cancellationToken);
        return new ReportSection(Title, report.AllMet ? SectionHealth.Healthy : SectionHealth.Attention, KpiMessages.Lines(report));
    }
}
