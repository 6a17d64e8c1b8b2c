using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbItems;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbTableDefinition;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>
/// The store for several instances: one DynamoDB table (see deploy/dynamodb-table.md).
/// <para>
/// Every unit of work is ONE <c>TransactWriteItems</c>: the next entry of the audit chain (<c>pk=AUDIT, sk=E#&lt;seq&gt;</c>,
/// on condition that it does not exist yet), the aggregate (on condition of its expected version), its outbox
/// messages, timers, work items and idempotency outcome. It all lands or none of it does. The entry's condition keeps
/// the hash chain linear across instances: a writer that lost the race for a sequence number re-reads the chain's
/// last entry and tries the next one; a writer whose aggregate moved on gets <see cref="ConcurrencyConflictException"/>.
/// Each transaction carries a <c>ClientRequestToken</c>, so when the SDK sends it again because an answer was lost,
/// DynamoDB recognises a commit that already landed and answers success instead of running it twice.
/// </para>
/// <para>
/// The commits of one store object go out one transaction at a time, and the units of work that queue up meanwhile
/// are committed together in the next transaction (each still its own audit entry and its own conditions) as long as
/// they fit DynamoDB's limits: that is what keeps throughput up while the chain serializes all writers. What can never
/// fit (an item over 400 KB, a key over 2 KB, a unit of work over 100 actions or 4 MB) is refused with
/// <see cref="StoreLimitExceededException"/> before anything is written.
/// </para>
/// </summary>
public sealed partial class DynamoDbWorkflowStore(IAmazonDynamoDB client, string table, TimeProvider time, bool createTable = false, ILogger<DynamoDbWorkflowStore>? logger = null)
    : IWorkflowStore
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public string Table => table;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var described = await client.DescribeTableAsync(table, cancellationToken);
            if (described.Table.TableStatus != TableStatus.ACTIVE) await WaitActiveAsync(cancellationToken);
            return;
        }
        catch (ResourceNotFoundException) when (createTable)
        {
            _logger.LogInformation("Creating DynamoDB table {Table}", table);
        }
        catch (ResourceNotFoundException e)
        {
            throw new InvalidOperationException(
                $"DynamoDB table '{table}' does not exist. Create it from deploy/dynamodb-table.json (aws dynamodb create-table --cli-input-json file://deploy/dynamodb-table.json), or set Store__CreateTable=true to let the bot create it.", e);
        }

        try
        {
            await client.CreateTableAsync(CreateRequest(table), cancellationToken);
        }
        catch (ResourceInUseException)
        {
            // Another instance created it at the same moment.
        }
        await WaitActiveAsync(cancellationToken);
        await client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = table,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = TtlAttribute, Enabled = true },
        }, cancellationToken);
    }

    private async Task WaitActiveAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < 600; i++)
        {
            var d = await client.DescribeTableAsync(table, cancellationToken);
            if (d.Table.TableStatus == TableStatus.ACTIVE) return;
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken); // real I/O wait for the service
        }
        throw new InvalidOperationException($"DynamoDB table '{table}' did not become ACTIVE within a minute.");
    }

    public async Task<AggregateRecord?> LoadAsync(string aggregateType, string aggregateId, CancellationToken cancellationToken)
    {
        var item = await GetAsync(AggregateKey(aggregateType, aggregateId), cancellationToken);
        return item is null ? null : ReadAggregate(aggregateType, aggregateId, item);
    }

    public async Task<IReadOnlyList<AggregateRecord>> ListAggregatesAsync(string aggregateType, DateTimeOffset? updatedSince, int max, CancellationToken cancellationToken)
    {
        var list = new List<AggregateRecord>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.QueryAsync(new QueryRequest
            {
                TableName = table,
                IndexName = DueIndex,
                KeyConditionExpression = updatedSince is null ? "gsi1pk = :pk" : "gsi1pk = :pk AND gsi1sk >= :since",
                ExpressionAttributeValues = updatedSince is { } since
                    ? new() { [":pk"] = new AttributeValue { S = AggregateIndexPk(aggregateType) }, [":since"] = new AttributeValue { S = $"{since.UtcTicks:D20}" } }
                    : new() { [":pk"] = new AttributeValue { S = AggregateIndexPk(aggregateType) } },
                ScanIndexForward = false,
                Limit = max,
                ExclusiveStartKey = start,
            }, cancellationToken);
            foreach (var item in page.Items ?? [])
            {
                if (list.Count >= max) break;
                list.Add(ReadAggregate(aggregateType, item["aggregateId"].S, item));
            }
            start = page.LastEvaluatedKey is { Count: > 0 } last && list.Count < max ? last : null;
        } while (start is not null);
        return list;
    }

    public async Task<IReadOnlyList<AggregateRecord>> ListAggregatesInStatesAsync(string aggregateType, IReadOnlyCollection<string> states, CancellationToken cancellationToken)
    {
        if (states.Count == 0) return [];
        var values = new Dictionary<string, AttributeValue> { [":pk"] = new() { S = AggregateIndexPk(aggregateType) } };
        var names = states.Select((state, i) => { values[":s" + i] = new AttributeValue { S = state }; return ":s" + i; }).ToList();
        var list = new List<AggregateRecord>();
        // The type's whole partition of the index, page by page, keeping the records in those states.
        await foreach (var item in QueryAllAsync(new QueryRequest
        {
            IndexName = DueIndex, KeyConditionExpression = "#gsi1pk = :pk", FilterExpression = $"#state IN ({string.Join(", ", names)})",
            ExpressionAttributeValues = values, ScanIndexForward = false,
        }, cancellationToken))
            list.Add(ReadAggregate(aggregateType, item["aggregateId"].S, item));
        return list;
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>The condition that an item is held by the claim in <c>:leaseOwner</c> and <c>:leaseToken</c> (see <see cref="Held"/>).</summary>
    internal const string HeldBy = "#leaseOwner = :leaseOwner AND #leaseToken = :leaseToken";

    /// <summary><paramref name="values"/> with the claim's owner and token for <see cref="HeldBy"/>.</summary>
    internal static Dictionary<string, AttributeValue> Held(LeaseHold? lease, Dictionary<string, AttributeValue> values)
    {
        values[":leaseOwner"] = S(lease?.Owner ?? "");
        values[":leaseToken"] = S(lease?.Token ?? "");
        return values;
    }

    /// <summary>A strongly consistent read of one item (only <paramref name="projection"/>'s attributes when given, as <c>#name</c>s).</summary>
    private async Task<Dictionary<string, AttributeValue>?> GetAsync(Dictionary<string, AttributeValue> key, CancellationToken cancellationToken, string? projection = null)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = table, ConsistentRead = true, Key = key, ProjectionExpression = projection, ExpressionAttributeNames = NamesIn(projection),
        }, cancellationToken);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    /// <summary>An update whose condition (written with <c>#name</c>s) decides whether it applies; returns whether it did.</summary>
    private async Task<bool> TryUpdateAsync(Dictionary<string, AttributeValue> key, string update, string condition, Dictionary<string, AttributeValue> values, CancellationToken cancellationToken)
    {
        try
        {
            await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table, Key = key, UpdateExpression = update, ConditionExpression = condition,
                ExpressionAttributeNames = NamesIn(update, condition), ExpressionAttributeValues = values,
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>All pages of a query.</summary>
    private async IAsyncEnumerable<Dictionary<string, AttributeValue>> QueryAllAsync(QueryRequest request,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        request.TableName = table;
        request.ExpressionAttributeNames ??= NamesIn(request.KeyConditionExpression, request.FilterExpression, request.ProjectionExpression);
        do
        {
            var page = await client.QueryAsync(request, cancellationToken);
            foreach (var item in page.Items ?? []) yield return item;
            request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (request.ExclusiveStartKey is not null);
    }
}
