using Bot.Workflows.Messages;

namespace Bot.Commands.Reports.Reviews;

/// <summary>How a section of a review came out: on target, worth a look (⚠️), or not read at all (and why).</summary>
public enum SectionHealth
{
    Healthy,
    Attention,
    Unavailable,
}

/// <summary>Where an action of a review belongs, as the procedures list them ("Actions").</summary>
public enum ActionArea
{
    Capacity,
    Maintenance,
    CredentialRotations,
    Security,
    Operations,
    CostOptimization,
}

/// <summary>Something a review asks people to do, in the area the procedures name.</summary>
public sealed record ReviewAction(ActionArea Area, Line Text);

/// <summary>
/// One section of a review (functions, tables, API, cost, the bot's own operations, security, …): its lines, whether it is on
/// target, the actions it asks for, its charts (data; transports and the document draw them), and a fixed-width table
/// when rows line up better that way.
/// </summary>
public sealed record ReportSection(string Title, SectionHealth Health, IReadOnlyList<Line> Lines)
{
    public IReadOnlyList<ReviewAction> Actions { get; init; } = [];
    public IReadOnlyList<Chart> Charts { get; init; } = [];
    /// <summary>A table in fixed-width text (rows of AWS names and numbers), shown preformatted.</summary>
    public string? Table { get; init; }
    /// <summary>Why the section could not be read (<see cref="SectionHealth.Unavailable"/>).</summary>
    public string? Problem { get; init; }

    public static ReportSection Unavailable(string title, string problem) =>
        new(title, SectionHealth.Unavailable, [Line.Of(Spans.Emoji("x"), $" {title} could not be read: {problem}")]) { Problem = problem };
}

/// <summary>Which review: the procedures' weekly (Mondays) or monthly (first Monday) operations review.</summary>
public enum ReviewKind
{
    Weekly,
    Monthly,
}

/// <summary>A finished review: what it covers and its sections in order.</summary>
public sealed record Review(ReviewKind Kind, string Environment, ReportWindow Window, DateTimeOffset BuiltAt, IReadOnlyList<ReportSection> Sections)
{
    public string Title => Kind == ReviewKind.Weekly
        ? $"Weekly operations review, {Environment}, week to {Window.End.AddDays(-1):yyyy-MM-dd}"
        : $"Monthly operations review, {Environment}, {Window.Start:MMMM yyyy}";

    public IReadOnlyList<ReportSection> NeedAttention => Sections.Where(s => s.Health == SectionHealth.Attention).ToList();

    public IReadOnlyList<ReportSection> Unreadable => Sections.Where(s => s.Health == SectionHealth.Unavailable).ToList();

    public IReadOnlyList<ReviewAction> Actions => Sections.SelectMany(s => s.Actions).ToList();
}
