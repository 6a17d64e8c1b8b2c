using Amazon.DynamoDBv2.Model;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbItems;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>
/// The durable work queue: one item per work id (<c>WORK#id</c>). A pending item is listed in the due index under
/// <c>WORKQ#&lt;queue&gt;</c> by due time; claims lease it with a conditional update; completion drops it from the index
/// and keeps a tombstone (id, outcome) that TTL removes after its retention, so the id deduplicates until then.
/// Reads of the index (claims, listings, the next due time) are eventually consistent on AWS; every claim and
/// deferral re-checks the item itself.
/// </summary>
public sealed partial class DynamoDbWorkflowStore
{
    public async Task<bool> EnqueueWorkAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var stored = DynamoDbItems.WorkItem(item);
        DynamoDbLimits.Check(stored, $"Work item {item.Id}");
        const string condition = "attribute_not_exists(#pk) OR #forgetAfter <= :now";
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = table, Item = stored, ConditionExpression = condition,
                ExpressionAttributeNames = NamesIn(condition), ExpressionAttributeValues = new() { [":now"] = N(time.GetUtcNow().UtcTicks) },
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false; // pending, or completed and not yet forgotten
        }
    }

    public async Task<IReadOnlyList<WorkItem>> ClaimWorkAsync(string queue, DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        const string update = "SET #leaseOwner = :owner, #leaseUntil = :until, #leaseToken = :token ADD #attempts :one";
        const string condition = "attribute_not_exists(#completedAt) AND #dueAt <= :now AND (attribute_not_exists(#leaseUntil) OR #leaseUntil <= :now)";
        var claimed = new List<WorkItem>();
        if (max <= 0) return claimed;
        await foreach (var candidate in DueCandidatesAsync(WorkQueueIndexPk(queue), now, max, cancellationToken))
        {
            try
            {
                var updated = await client.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = table, Key = WorkKey(candidate["workId"].S), UpdateExpression = update, ConditionExpression = condition,
                    ExpressionAttributeNames = NamesIn(update, condition),
                    ExpressionAttributeValues = new()
                    {
                        [":owner"] = S(owner), [":until"] = N((now + lease).UtcTicks), [":now"] = N(now.UtcTicks), [":one"] = N(1), [":token"] = S(LeaseHold.NewToken()),
                    },
                    ReturnValues = Amazon.DynamoDBv2.ReturnValue.ALL_NEW,
                }, cancellationToken);
                claimed.Add(ReadWork(updated.Attributes));
            }
            catch (ConditionalCheckFailedException)
            {
                // Claimed by another worker, deferred or completed since the index was read.
            }
            if (claimed.Count >= max) break;
        }
        return claimed;
    }

    public Task<bool> RenewWorkLeaseAsync(WorkItem item, DateTimeOffset until, CancellationToken cancellationToken) =>
        TryUpdateAsync(WorkKey(item.Id), "SET #leaseUntil = :until", HeldBy + " AND attribute_not_exists(#completedAt)",
            Held(item.Lease, new() { [":until"] = N(until.UtcTicks) }), cancellationToken);

    public Task DeferWorkAsync(WorkItem item, DateTimeOffset dueAt, string error, CancellationToken cancellationToken, bool countsAsAttempt = true) =>
        TryUpdateAsync(WorkKey(item.Id),
            "SET #dueAt = :due, #gsi1sk = :indexed, #lastError = :e REMOVE #leaseOwner, #leaseUntil, #leaseToken" + (countsAsAttempt ? "" : " ADD #attempts :minusOne"),
            HeldBy + " AND attribute_not_exists(#completedAt)",
            Held(item.Lease, countsAsAttempt
                ? new() { [":due"] = N(dueAt.UtcTicks), [":indexed"] = S(WorkIndexSk(dueAt, item.CreatedAt, item.Id)), [":e"] = S(error) }
                : new()
                {
                    [":due"] = N(dueAt.UtcTicks), [":indexed"] = S(WorkIndexSk(dueAt, item.CreatedAt, item.Id)), [":e"] = S(error), [":minusOne"] = N(-1),
                }), cancellationToken);

    public Task DeadLetterWorkAsync(WorkItem item, string error, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Out of its queue's due index, into the dead letters' partition of it.
        return TryUpdateAsync(WorkKey(item.Id),
            "SET #deadAt = :now, #lastError = :e, #gsi1pk = :dead, #gsi1sk = :deadSk REMOVE #leaseOwner, #leaseUntil, #leaseToken",
            HeldBy + " AND attribute_not_exists(#completedAt)",
            Held(item.Lease, new() { [":now"] = N(now.UtcTicks), [":e"] = S(error), [":dead"] = S(DeadWorkIndexPk), [":deadSk"] = S(DeadIndexSk(now, item.Id)) }),
            cancellationToken);
    }

    public async Task CompleteWorkAsync(WorkCompletion completion, CancellationToken cancellationToken)
    {
        if (completion.Lease is null)
        {
            await TryUpdateAsync(WorkKey(completion.Id), DynamoDbCommitPlan.CompleteWorkUpdate, "attribute_exists(#pk)",
                DynamoDbCommitPlan.CompleteWorkValues(completion, time.GetUtcNow()), cancellationToken);
            return;
        }
        // Fenced: only while this claim holds it (an item forgotten already is left alone).
        var completed = await TryUpdateAsync(WorkKey(completion.Id), DynamoDbCommitPlan.CompleteWorkUpdate, DynamoDbCommitPlan.CompleteHeldWorkCondition,
            Held(completion.Lease, DynamoDbCommitPlan.CompleteWorkValues(completion, time.GetUtcNow())), cancellationToken);
        if (!completed && await GetAsync(WorkKey(completion.Id), cancellationToken, "#pk") is not null)
            throw new LeaseLostException($"Work item {completion.Id} is no longer held by this claim ({completion.Lease.Owner}); its result was not recorded.");
    }

    public Task<DateTimeOffset?> NextWorkDueAsync(string queue, CancellationToken cancellationToken) => FirstDueAsync(WorkQueueIndexPk(queue), cancellationToken);

    public async Task<IReadOnlyList<WorkItem>> ListPendingWorkAsync(string queue, int max, CancellationToken cancellationToken)
    {
        var list = new List<WorkItem>();
        if (max <= 0) return list;
        var request = new QueryRequest
        {
            IndexName = DynamoDbTableDefinition.DueIndex, KeyConditionExpression = "#gsi1pk = :pk",
            ExpressionAttributeValues = new() { [":pk"] = S(WorkQueueIndexPk(queue)) }, Limit = max,
        };
        await foreach (var item in QueryAllAsync(request, cancellationToken))
        {
            list.Add(ReadWork(item));
            if (list.Count >= max) break;
        }
        return list;
    }
}
