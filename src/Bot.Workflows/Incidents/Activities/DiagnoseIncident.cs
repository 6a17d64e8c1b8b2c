using Bot.Workflows.Activities;
using Bot.Workflows.Messages;

namespace Bot.Workflows.Incidents.Activities;

/// <summary>
/// The investigation a playbook prescribes, for the incident's function, table or API over the hour before
/// <see cref="At"/>: ERROR lines, error metrics with a chart, recent alias changes and a rollback offer. Read-only.
/// </summary>
public sealed record DiagnoseIncident(string IncidentId, PlaybookRef Playbook, DateTimeOffset At) : Activity
{
    public override string Describe() =>
        $"collect the {Playbook.Name} diagnostics of {Playbook.Function ?? Playbook.Table ?? Playbook.Api ?? "the incident"} for incident {IncidentId}";
}

/// <summary>One metric's total over the window and its worst minute.</summary>
public sealed record MetricReading(string Metric, string Resource, double Total, double Peak, string Unit);

/// <summary>
/// The one-click rollback a completed deploy offers: the Change <see cref="ChangeId"/> moves <see cref="Function"/>'s
/// alias back from <see cref="ToVersion"/> to the approved previous <see cref="FromVersion"/>. The button carries the
/// change card's <see cref="CardVersion"/>, so it goes stale with that card.
/// </summary>
public sealed record RollbackOffer(string ChangeId, long CardVersion, string Function, string FromVersion, string ToVersion, DateTimeOffset CompletedAt, DateTimeOffset Until);

/// <summary>
/// What the diagnostics found. Text here came from AWS and is already redacted; it is still shown as text or code
/// spans, never as markup. <see cref="Problems"/> names the areas that could not be read.
/// </summary>
public sealed record DiagnosticsReport
{
    public int ErrorLineCount { get; init; }
    /// <summary>The newest ERROR lines, redacted, oldest first.</summary>
    public IReadOnlyList<string> ErrorLines { get; init; } = [];
    public IReadOnlyList<MetricReading> Metrics { get; init; } = [];
    public Chart? Chart { get; init; }
    /// <summary>Changes to the function's alias the bot made recently, newest first, one line each.</summary>
    public IReadOnlyList<string> AliasChanges { get; init; } = [];
    /// <summary>Where the function's alias points now, e.g. "PROD → version 8".</summary>
    public string? LiveAlias { get; init; }
    public RollbackOffer? Rollback { get; init; }
    /// <summary>The <c>/sb</c> command that requests a rollback change when no one-click rollback is on offer.</summary>
    public string? RollbackCommand { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];
}
