using Amazon.DynamoDBv2.Model;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbItems;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbTableDefinition;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>
/// Workflows counted by state: one item per aggregate type (<c>pk=COUNTS, sk=&lt;type&gt;</c>) with a number per state
/// (<c>n:&lt;state&gt;</c>). Each commit's transaction adds the moves of its units of work to it (one update per type, however many units
/// the transaction holds), so the counters change exactly when the workflows do. A recount replaces them, on condition that no
/// commit landed meanwhile.
/// </summary>
public sealed partial class DynamoDbWorkflowStore
{
    public const string CountsPk = "COUNTS";
    private const string CountPrefix = "n:";

    /// <summary>
    /// How long the audit chain must have been still before a recount: the aggregates' index is eventually consistent, so a
    /// workflow moved just now might be missed by the index read.
    /// </summary>
    public static readonly TimeSpan RecountQuietFor = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyDictionary<string, long>> CountByStateAsync(string aggregateType, CancellationToken cancellationToken)
    {
        var item = await GetAsync(Key(CountsPk, aggregateType), cancellationToken);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, value) in item ?? [])
        {
            if (name.StartsWith(CountPrefix, StringComparison.Ordinal) && value.N is not null && Long(value) != 0) counts[name[CountPrefix.Length..]] = Long(value);
        }
        return counts;
    }

    public async Task<bool> RecountAsync(string aggregateType, CancellationToken cancellationToken)
    {
        var head = await client.QueryAsync(new QueryRequest
        {
            TableName = table, ConsistentRead = true, KeyConditionExpression = "#pk = :pk AND begins_with(#sk, :prefix)", ProjectionExpression = "#seq, #at",
            ExpressionAttributeNames = NamesIn("#pk #sk #seq #at"), ExpressionAttributeValues = new() { [":pk"] = S(AuditPk), [":prefix"] = S(EntryPrefix) },
            ScanIndexForward = false, Limit = 1,
        }, cancellationToken);
        var last = head.Items is { Count: > 0 } items ? (Sequence: Long(items[0]["seq"]), At: Ticks(items[0]["at"])) : (Sequence: 0L, At: DateTimeOffset.MinValue);
        if (last.At > time.GetUtcNow() - RecountQuietFor) return false;

        var counted = CountKey(aggregateType);
        await foreach (var a in QueryAllAsync(new QueryRequest
        {
            IndexName = DueIndex, KeyConditionExpression = "#gsi1pk = :pk", ProjectionExpression = "#state",
            ExpressionAttributeValues = new() { [":pk"] = S(AggregateIndexPk(aggregateType)) },
        }, cancellationToken))
        {
            var name = CountPrefix + a["state"].S;
            counted[name] = N((counted.TryGetValue(name, out var n) ? Long(n) : 0) + 1);
        }
        try
        {
            await client.TransactWriteItemsAsync(new TransactWriteItemsRequest
            {
                TransactItems =
                [
                    // Nothing was committed since the chain's last entry was read (every commit appends the next one).
                    new TransactWriteItem
                    {
                        ConditionCheck = new ConditionCheck
                        {
                            TableName = table, Key = EntryKey(last.Sequence + 1), ConditionExpression = "attribute_not_exists(#pk)",
                            ExpressionAttributeNames = NamesIn("#pk"),
                        },
                    },
                    new TransactWriteItem { Put = new Put { TableName = table, Item = counted } },
                ],
            }, cancellationToken);
            return true;
        }
        catch (TransactionCanceledException)
        {
            return false;
        }
    }

    private static Dictionary<string, AttributeValue> CountKey(string aggregateType) => Key(CountsPk, aggregateType);

    /// <summary>
    /// The moves of a unit of work between states: a new workflow counts in its state, a transition out of
    /// <see cref="UnitOfWork.PreviousState"/> and into the new one (a unit that does not say its previous state moves nothing).
    /// </summary>
    internal static IEnumerable<(string Type, string State, long Delta)> Moves(UnitOfWork work)
    {
        if (work.Aggregate is not { } a) yield break;
        if (work.ExpectedVersion == 0)
        {
            yield return (a.AggregateType, a.State, 1);
        }
        else if (work.PreviousState is { } before && !string.Equals(before, a.State, StringComparison.Ordinal))
        {
            yield return (a.AggregateType, before, -1);
            yield return (a.AggregateType, a.State, 1);
        }
    }

    /// <summary>One counter update per type for the moves of a transaction's units of work.</summary>
    private List<TransactWriteItem> CounterUpdates(IEnumerable<(string Type, string State, long Delta)> moves)
    {
        var updates = new List<TransactWriteItem>();
        foreach (var byType in moves.GroupBy(m => m.Type, StringComparer.Ordinal))
        {
            var deltas = byType.GroupBy(m => m.State, StringComparer.Ordinal).Select(s => (State: s.Key, Delta: s.Sum(m => m.Delta))).Where(s => s.Delta != 0).ToList();
            if (deltas.Count == 0) continue;
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
            for (var i = 0; i < deltas.Count; i++)
            {
                names[$"#n{i}"] = CountPrefix + deltas[i].State;
                values[$":d{i}"] = N(deltas[i].Delta);
            }
            updates.Add(new TransactWriteItem
            {
                Update = new Update
                {
                    TableName = table, Key = CountKey(byType.Key), UpdateExpression = "ADD " + string.Join(", ", deltas.Select((_, i) => $"#n{i} :d{i}")),
                    ExpressionAttributeNames = names, ExpressionAttributeValues = values,
                },
            });
        }
        return updates;
    }
}
