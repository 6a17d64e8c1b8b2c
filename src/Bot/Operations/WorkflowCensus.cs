using Bot.Workflows.Incidents;
using Bot.Slack.AppHome;
using Bot.Workflows.Changes;
using Bot.Workflows.Storage;

namespace Bot.Operations;

/// <summary>
/// Counts the workflows that need people: changes waiting for approval and incidents not resolved, from the store's
/// listings (<see cref="IAggregateStore.ListAggregatesAsync"/>). Incidents count by their aggregate type
/// <see cref="IncidentLifecycle"/>: the gauge shows 0 until the Incident workflow stores any.
/// </summary>
public static class WorkflowCensus
{
    public const string ChangeType = Change.Type;
    public const string IncidentType = Incident.Type;

    /// <summary>How many of the most recently changed aggregates of a type are looked at.</summary>
    public const int Window = 1000;

    public static async Task<int> ChangesPendingAsync(IAggregateStore store, CancellationToken cancellationToken) =>
        (await store.ListAggregatesAsync(ChangeType, null, Window, cancellationToken)).Count(a => a.State == nameof(ChangeState.PendingApproval));

    /// <summary>Every open incident, however long ago it last changed (not only among the most recently changed).</summary>
    public static async Task<int> IncidentsOpenAsync(IAggregateStore store, CancellationToken cancellationToken) =>
        (await store.ListAggregatesInStatesAsync(IncidentType, IncidentLifecycle.OpenStates, cancellationToken)).Count;
}
