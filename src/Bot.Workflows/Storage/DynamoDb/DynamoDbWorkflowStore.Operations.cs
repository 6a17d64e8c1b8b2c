using Amazon.DynamoDBv2.Model;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbItems;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbTableDefinition;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>
/// What status, metrics and shutdown need: due timers (counted in the due index), dead letters (their partition),
/// instance heartbeats (one item each under <c>INSTANCE</c>, expiring by TTL), giving a claimed timer back.
/// </summary>
public sealed partial class DynamoDbWorkflowStore
{
    public const string InstancePk = "INSTANCE";

    /// <summary>How long an instance's last heartbeat is kept (TTL).</summary>
    public static readonly TimeSpan InstanceRetention = TimeSpan.FromDays(7);

    public async Task ReleaseTimerAsync(TimerRecord timer, CancellationToken cancellationToken) =>
        await TryUpdateAsync(TimerKey(timer.Id), "REMOVE #leaseOwner, #leaseUntil, #leaseToken ADD #attempts :minusOne", "#token = :token AND " + HeldBy,
            Held(timer.Lease, new() { [":token"] = S(timer.Token), [":minusOne"] = N(-1) }), cancellationToken);

    public async Task<DueTimers> CountDueTimersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var count = await CountAsync(new QueryRequest
        {
            IndexName = DueIndex,
            KeyConditionExpression = "#gsi1pk = :pk AND #gsi1sk <= :upto",
            ExpressionAttributeValues = new() { [":pk"] = S(TimersIndexPk), [":upto"] = S(DueUpTo(now)) },
        }, cancellationToken);
        return new DueTimers(count, count == 0 ? null : await FirstDueAsync(TimersIndexPk, cancellationToken));
    }

    public async Task RecordInstanceAsync(InstanceRecord instance, CancellationToken cancellationToken)
    {
        var item = Key(InstancePk, instance.Id);
        item["host"] = S(instance.Host);
        item["version"] = S(instance.Version);
        item["startedAt"] = N(instance.StartedAt.UtcTicks);
        item["seenAt"] = N(instance.SeenAt.UtcTicks);
        item[TtlAttribute] = N((instance.SeenAt + InstanceRetention).ToUnixTimeSeconds());
        await client.PutItemAsync(new PutItemRequest { TableName = table, Item = item }, cancellationToken);
    }

    public async Task<IReadOnlyList<InstanceRecord>> ListInstancesAsync(DateTimeOffset seenSince, CancellationToken cancellationToken)
    {
        var list = new List<InstanceRecord>();
        await foreach (var item in QueryAllAsync(new QueryRequest
        {
            KeyConditionExpression = "#pk = :pk",
            FilterExpression = "#seenAt >= :since",
            ExpressionAttributeValues = new() { [":pk"] = S(InstancePk), [":since"] = N(seenSince.UtcTicks) },
            ConsistentRead = true,
        }, cancellationToken))
        {
            list.Add(new InstanceRecord(item[SkName].S, item["host"].S, item["version"].S, Ticks(item["startedAt"]), Ticks(item["seenAt"])));
        }
        return list.OrderByDescending(i => i.SeenAt).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>How many items a query matches, over all its pages (<c>Select=COUNT</c>: no items are read back).</summary>
    private async Task<int> CountAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        request.TableName = table;
        request.Select = Amazon.DynamoDBv2.Select.COUNT;
        request.ExpressionAttributeNames = NamesIn(request.KeyConditionExpression, request.FilterExpression);
        var total = 0;
        do
        {
            var page = await client.QueryAsync(request, cancellationToken);
            total += page.Count ?? 0;
            request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (request.ExclusiveStartKey is not null);
        return total;
    }
}
