using Bot.Workflows.Incidents;
using Bot.Slack.AppHome;
using Bot.Workflows.Changes;
using Bot.Workflows.Storage;

namespace Bot.Operations;

/// <summary>
/// Counts the workflows that need people: changes waiting for approval and incidents not resolved, from the store's counters
/// by state (<see cref="IOperationsStore.CountByStateAsync"/>): a status read reads two items, not the workflows. Incidents count
/// by their aggregate type <see cref="IncidentLifecycle"/>.
/// </summary>
public static class WorkflowCensus
{
    public const string ChangeType = Change.Type;
    public const string IncidentType = Incident.Type;

    /// <summary>The aggregate types counted (and recounted now and then, <see cref="OperationsMonitor"/>).</summary>
    public static readonly IReadOnlyList<string> Types = [ChangeType, IncidentType];

    public static async Task<int> ChangesPendingAsync(IOperationsStore store, CancellationToken cancellationToken) =>
        Total(await store.CountByStateAsync(ChangeType, cancellationToken), state => state == nameof(ChangeState.PendingApproval));

    public static async Task<int> IncidentsOpenAsync(IOperationsStore store, CancellationToken cancellationToken) =>
        Total(await store.CountByStateAsync(IncidentType, cancellationToken), IncidentLifecycle.IsOpen);

    /// <summary>The workflows in the states <paramref name="counted"/> picks; never below zero (a counter an older version left behind).</summary>
    private static int Total(IReadOnlyDictionary<string, long> byState, Func<string, bool> counted) =>
        (int)byState.Where(s => counted(s.Key)).Sum(s => Math.Max(0, s.Value));
}
