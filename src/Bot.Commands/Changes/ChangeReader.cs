using Bot.Workflows.Changes;
using Bot.Workflows.Storage;

namespace Bot.Commands.Changes;

/// <summary>Reads changes back from the store for listings and the App Home.</summary>
public sealed class ChangeReader(IAggregateStore store)
{
    public async Task<IReadOnlyList<Change>> RecentAsync(DateTimeOffset since, int max, CancellationToken cancellationToken) =>
        (await store.ListAggregatesAsync(Change.Type, since, max, cancellationToken)).Select(Restore).ToList();

    public async Task<Change?> FindAsync(string id, CancellationToken cancellationToken) =>
        await store.LoadAsync(Change.Type, id.Trim().ToUpperInvariant(), cancellationToken) is { } record ? Restore(record) : null;

    private static Change Restore(AggregateRecord record) => (Change)Change.Definition.Restore(record);
}
