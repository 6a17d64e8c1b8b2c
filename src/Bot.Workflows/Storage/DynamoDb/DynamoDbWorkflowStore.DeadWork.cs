using Amazon.DynamoDBv2.Model;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbItems;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>
/// Dead work items and timers (activities, PagerDuty events, timers whose firing kept failing): kept under a dead-letters
/// partition of the due index, listed oldest given up first, replayed, and counted by kind together with the outbox's dead
/// letters (DynamoDbWorkflowStore.DeadLetters.cs).
/// </summary>
public sealed partial class DynamoDbWorkflowStore
{
    public async Task<IReadOnlyList<WorkItem>> ListDeadWorkAsync(int max, CancellationToken cancellationToken) =>
        (await ListDeadIndexAsync(DeadWorkIndexPk, max, cancellationToken)).Select(ReadWork).ToList();

    public async Task<IReadOnlyList<TimerRecord>> ListDeadTimersAsync(int max, CancellationToken cancellationToken) =>
        (await ListDeadIndexAsync(DeadTimersIndexPk, max, cancellationToken)).Select(ReadTimer).ToList();

    public async Task<bool> ReplayDeadWorkAsync(string id, CancellationToken cancellationToken)
    {
        if (await GetAsync(WorkKey(id), cancellationToken) is not { } stored || !stored.ContainsKey("deadAt") || stored.ContainsKey("completedAt")) return false;
        var item = ReadWork(stored);
        var now = time.GetUtcNow();
        // Back in its queue's due index, due now.
        return await TryUpdateAsync(WorkKey(id),
            "SET #dueAt = :now, #attempts = :zero, #lastError = :e, #gsi1pk = :queue, #gsi1sk = :sk REMOVE #deadAt",
            "attribute_exists(#deadAt) AND attribute_not_exists(#completedAt)",
            new()
            {
                [":now"] = N(now.UtcTicks), [":zero"] = N(0), [":e"] = S("replayed after: " + item.LastError), [":queue"] = S(WorkQueueIndexPk(item.Queue)),
                [":sk"] = S(WorkIndexSk(now, item.CreatedAt, id)),
            }, cancellationToken);
    }

    public async Task<bool> ReplayDeadTimerAsync(string id, CancellationToken cancellationToken)
    {
        if (await GetAsync(TimerKey(id), cancellationToken) is not { } stored || !stored.ContainsKey("deadAt")) return false;
        var timer = ReadTimer(stored);
        // Back in the timers' due index under its due time (past: it fires at once).
        return await TryUpdateAsync(TimerKey(id), "SET #attempts = :zero, #lastError = :e, #gsi1pk = :timers, #gsi1sk = :sk REMOVE #deadAt, #leaseUntil",
            "attribute_exists(#deadAt) AND #token = :token",
            new()
            {
                [":zero"] = N(0), [":e"] = S("replayed after: " + timer.LastError), [":timers"] = S(TimersIndexPk), [":sk"] = S(TimerIndexSk(timer.DueAt, id)),
                [":token"] = S(timer.Token),
            }, cancellationToken);
    }

    public async Task<DeadLetterCounts> CountAllDeadLettersAsync(CancellationToken cancellationToken)
    {
        var work = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var item in QueryAllAsync(new QueryRequest
        {
            IndexName = DynamoDbTableDefinition.DueIndex, KeyConditionExpression = "#gsi1pk = :pk", ProjectionExpression = "#queue",
            ExpressionAttributeValues = new() { [":pk"] = S(DeadWorkIndexPk) },
        }, cancellationToken))
        {
            var queue = Optional(item, "queue") ?? "";
            work[queue] = work.GetValueOrDefault(queue) + 1;
        }
        var timers = await CountAsync(new QueryRequest
        {
            IndexName = DynamoDbTableDefinition.DueIndex, KeyConditionExpression = "#gsi1pk = :pk", ExpressionAttributeValues = new() { [":pk"] = S(DeadTimersIndexPk) },
        }, cancellationToken);
        return new DeadLetterCounts(await CountDeadLettersAsync(cancellationToken), work, timers);
    }

    /// <summary>The first <paramref name="max"/> items of a dead letters' partition of the due index, oldest given up first.</summary>
    private async Task<List<Dictionary<string, AttributeValue>>> ListDeadIndexAsync(string indexPk, int max, CancellationToken cancellationToken)
    {
        var list = new List<Dictionary<string, AttributeValue>>();
        if (max <= 0) return list;
        await foreach (var item in QueryAllAsync(new QueryRequest
        {
            IndexName = DynamoDbTableDefinition.DueIndex, KeyConditionExpression = "#gsi1pk = :pk", ExpressionAttributeValues = new() { [":pk"] = S(indexPk) },
        }, cancellationToken))
        {
            list.Add(item);
            if (list.Count >= max) break;
        }
        return list;
    }
}
