using Amazon.DynamoDBv2.Model;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbItems;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbTableDefinition;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>Timers: one item each, listed by due time in the due index under <c>TIMERS</c>; set and removed by commits.</summary>
public sealed partial class DynamoDbWorkflowStore
{
    public async Task<IReadOnlyList<TimerRecord>> ClaimDueTimersAsync(DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        var claimed = new List<TimerRecord>();
        await foreach (var candidate in DueCandidatesAsync(TimersIndexPk, now, max, cancellationToken))
        {
            try
            {
                var updated = await client.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = table,
                    Key = TimerKey(candidate["timerId"].S),
                    UpdateExpression = "SET #leaseOwner = :owner, #leaseUntil = :until, #leaseToken = :lease ADD #attempts :one",
                    ConditionExpression = "#token = :token AND (attribute_not_exists(#leaseUntil) OR #leaseUntil <= :now)",
                    ExpressionAttributeNames = NamesIn("#leaseOwner #leaseUntil #token #leaseToken #attempts"),
                    ExpressionAttributeValues = new()
                    {
                        [":owner"] = S(owner), [":until"] = N((now + lease).UtcTicks), [":token"] = candidate["token"], [":now"] = N(now.UtcTicks),
                        [":lease"] = S(LeaseHold.NewToken()), [":one"] = N(1),
                    },
                    ReturnValues = Amazon.DynamoDBv2.ReturnValue.ALL_NEW,
                }, cancellationToken);
                claimed.Add(ReadTimer(updated.Attributes));
            }
            catch (ConditionalCheckFailedException)
            {
                // Leased by another instance, or replaced/removed since the index was read.
            }
            if (claimed.Count >= max) break;
        }
        return claimed;
    }

    public Task<bool> RenewTimerLeaseAsync(TimerRecord timer, DateTimeOffset until, CancellationToken cancellationToken) =>
        TryUpdateAsync(TimerKey(timer.Id), "SET #leaseUntil = :until", "#token = :token AND " + HeldBy,
            Held(timer.Lease, new() { [":until"] = N(until.UtcTicks), [":token"] = S(timer.Token) }), cancellationToken);

    public Task DeferTimerAsync(TimerRecord timer, DateTimeOffset retryAt, string error, CancellationToken cancellationToken, bool countsAsAttempt = true)
    {
        // Released, and held by nobody until retryAt: a claim takes a timer only once its lease time has passed.
        var values = new Dictionary<string, AttributeValue> { [":retry"] = N(retryAt.UtcTicks), [":e"] = S(error), [":token"] = S(timer.Token) };
        if (!countsAsAttempt) values[":minusOne"] = N(-1);
        return TryUpdateAsync(TimerKey(timer.Id),
            "SET #leaseUntil = :retry, #lastError = :e REMOVE #leaseOwner, #leaseToken" + (countsAsAttempt ? "" : " ADD #attempts :minusOne"), "#token = :token AND " + HeldBy,
            Held(timer.Lease, values), cancellationToken);
    }

    public Task DeadLetterTimerAsync(TimerRecord timer, string error, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Out of the timers' due index, into the dead letters' partition of it.
        return TryUpdateAsync(TimerKey(timer.Id),
            "SET #deadAt = :now, #lastError = :e, #gsi1pk = :dead, #gsi1sk = :deadSk REMOVE #leaseOwner, #leaseUntil, #leaseToken", "#token = :token AND " + HeldBy,
            Held(timer.Lease, new()
            {
                [":now"] = N(now.UtcTicks), [":e"] = S(error), [":token"] = S(timer.Token), [":dead"] = S(DeadTimersIndexPk), [":deadSk"] = S(DeadIndexSk(now, timer.Id)),
            }), cancellationToken);
    }

    public async Task RemoveTimerAsync(string timerId, string token, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = table, Key = TimerKey(timerId), ConditionExpression = "#token = :token",
                ExpressionAttributeNames = NamesIn("#token"), ExpressionAttributeValues = new() { [":token"] = S(token) },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Set again since (another token) or already gone: nothing to remove.
        }
    }

    /// <summary>
    /// When the first timer can be claimed: its due time, or the end of its lease when it is leased (a timer leased elsewhere
    /// is not due here before its lease is over). Reads the first few entries of the index, earliest due first.
    /// </summary>
    public async Task<DateTimeOffset?> NextTimerDueAsync(CancellationToken cancellationToken)
    {
        var page = await client.QueryAsync(new QueryRequest
        {
            TableName = table, IndexName = DueIndex, KeyConditionExpression = "#gsi1pk = :pk", ProjectionExpression = "#dueAt, #leaseUntil",
            ExpressionAttributeNames = NamesIn("#gsi1pk #dueAt #leaseUntil"), ExpressionAttributeValues = new() { [":pk"] = S(TimersIndexPk) }, Limit = 50,
        }, cancellationToken);
        DateTimeOffset? next = null;
        foreach (var item in page.Items ?? [])
        {
            var due = Ticks(item["dueAt"]);
            if (next is { } known && due >= known) break; // sorted by due time: nothing later can be earlier
            var at = OptionalTicks(item, "leaseUntil") is { } until && until > due ? until : due;
            if (next is null || at < next) next = at;
        }
        return next;
    }

    /// <summary>
    /// Entries of a due-index partition (timers or a work queue) that are due by <paramref name="now"/> and not leased, oldest
    /// first; a bounded number of pages, since a claim round takes only a few. The index is eventually consistent: every
    /// claim re-checks the item itself with a condition.
    /// </summary>
    private async IAsyncEnumerable<Dictionary<string, AttributeValue>> DueCandidatesAsync(string indexPk, DateTimeOffset now, int wanted,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new QueryRequest
        {
            TableName = table,
            IndexName = DueIndex,
            KeyConditionExpression = "#gsi1pk = :pk AND #gsi1sk <= :upto",
            FilterExpression = "attribute_not_exists(#leaseUntil) OR #leaseUntil <= :now",
            ExpressionAttributeNames = NamesIn("#gsi1pk #gsi1sk #leaseUntil"),
            ExpressionAttributeValues = new() { [":pk"] = S(indexPk), [":upto"] = S(DueUpTo(now)), [":now"] = N(now.UtcTicks) },
            Limit = Math.Max(wanted * 2, 20),
        };
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await client.QueryAsync(request, cancellationToken);
            foreach (var item in page.Items ?? []) yield return item;
            if (page.LastEvaluatedKey is not { Count: > 0 } last) yield break;
            request.ExclusiveStartKey = last;
        }
    }

    /// <summary>The due time of the first entry of a due-index partition (timers or a work queue).</summary>
    private async Task<DateTimeOffset?> FirstDueAsync(string indexPk, CancellationToken cancellationToken)
    {
        var page = await client.QueryAsync(new QueryRequest
        {
            TableName = table, IndexName = DueIndex, KeyConditionExpression = "#gsi1pk = :pk", ProjectionExpression = "#dueAt",
            ExpressionAttributeNames = NamesIn("#gsi1pk #dueAt"), ExpressionAttributeValues = new() { [":pk"] = S(indexPk) }, Limit = 1,
        }, cancellationToken);
        return page.Items is { Count: > 0 } items ? Ticks(items[0]["dueAt"]) : null;
    }
}
