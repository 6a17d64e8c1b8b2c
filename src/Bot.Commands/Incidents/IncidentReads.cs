using Bot.Workflows.Incidents;
using Bot.Workflows.Storage;

namespace Bot.Commands.Incidents;

/// <summary>Incidents as the store has them, for the read-only commands.</summary>
public static class IncidentReads
{
    /// <summary>How many of the most recently changed incidents a number is looked for among, besides every open one.</summary>
    public const int MaxListed = 500;

    /// <summary>
    /// Every open incident (however long ago it last changed: a storm's hundreds, or one acknowledged for days behind hundreds of
    /// resolved ones), triggered before acknowledged, the highest level and the nearest deadline first.
    /// </summary>
    public static async Task<IReadOnlyList<Incident>> OpenAsync(IAggregateStore store, CancellationToken cancellationToken) =>
        (await OpenRecordsAsync(store, cancellationToken))
            .OrderBy(i => i.CurrentState)
            .ThenByDescending(i => i.Data.Level)
            .ThenBy(i => i.Data.DeadlineAt ?? DateTimeOffset.MaxValue)
            .ToList();

    /// <summary>An incident by PagerDuty id, or by its number (<c>#1234</c> or <c>1234</c>) among the recent ones; null when unknown.</summary>
    public static async Task<Incident?> FindAsync(IAggregateStore store, string wanted, CancellationToken cancellationToken)
    {
        wanted = wanted.Trim();
        if (await store.LoadAsync(Incident.Type, wanted, cancellationToken) is { } record) return (Incident)Incident.Definition.Restore(record);
        if (!long.TryParse(wanted.TrimStart('#'), out var number)) return null;
        return (await OpenRecordsAsync(store, cancellationToken)).FirstOrDefault(i => i.Data.Number == number)
               ?? (await store.ListAggregatesAsync(Incident.Type, null, MaxListed, cancellationToken))
                   .Select(r => (Incident)Incident.Definition.Restore(r))
                   .FirstOrDefault(i => i.Data.Number == number);
    }

    /// <summary>
    /// The incident whose thread (its card's message) is <paramref name="threadTs"/> in <paramref name="channel"/>: among the open
    /// incidents and the <see cref="MaxListed"/> most recently changed (a resolved one's thread still takes notes); null when none.
    /// </summary>
    public static async Task<Incident?> FindByThreadAsync(IAggregateStore store, IOutboxStore outbox, string channel, string threadTs, CancellationToken cancellationToken)
    {
        var recent = (await store.ListAggregatesAsync(Incident.Type, null, MaxListed, cancellationToken)).Select(r => (Incident)Incident.Definition.Restore(r));
        foreach (var incident in (await OpenRecordsAsync(store, cancellationToken)).Concat(recent).DistinctBy(i => i.Id).Where(i => i.CardChannel == channel))
        {
            if (await outbox.FindSentAsync(incident.CardKey, cancellationToken) is { } card && card.Channel == channel && card.Ts == threadTs) return incident;
        }
        return null;
    }

    /// <summary>Every open incident as the store has it, in no particular order.</summary>
    public static async Task<IReadOnlyList<Incident>> OpenRecordsAsync(IAggregateStore store, CancellationToken cancellationToken) =>
        (await store.ListAggregatesInStatesAsync(Incident.Type, IncidentLifecycle.OpenStates, cancellationToken))
            .Select(r => (Incident)Incident.Definition.Restore(r))
            .ToList();
}
