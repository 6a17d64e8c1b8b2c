using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2.Model;
using Bot.Workflows.Audit;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbItems;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>Audit reads: queries of the <c>AUDIT</c> partition that fetch the records' own fields and nothing else.</summary>
public sealed partial class DynamoDbWorkflowStore
{
    private static readonly string AuditProjection = string.Join(", ", AuditFields.Select(f => "#" + f));

    public async Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var list = new List<AuditRecord>();
        await foreach (var record in QueryAudit(forward: false, query.ActorId, cancellationToken))
        {
            if (query.Since is { } since && record.At < since) break;
            list.Add(record);
            if (list.Count >= query.Limit) break;
        }
        return list;
    }

    public IAsyncEnumerable<AuditRecord> ReadAuditChainAsync(CancellationToken cancellationToken) => QueryAudit(forward: true, actor: null, cancellationToken);

    public IAsyncEnumerable<AuditRecord> ReadAuditChainAsync(long fromSequence, CancellationToken cancellationToken) =>
        QueryAudit(forward: true, actor: null, cancellationToken, fromSequence);

    private async IAsyncEnumerable<AuditRecord> QueryAudit(bool forward, string? actor, [EnumeratorCancellation] CancellationToken cancellationToken, long fromSequence = 1)
    {
        var values = new Dictionary<string, AttributeValue> { [":pk"] = S(AuditPk) };
        if (fromSequence > 1)
        {
            values[":from"] = S(EntrySk(fromSequence));
            values[":end"] = S(EntryPrefix + "~"); // after every entry's sort key
        }
        else
        {
            values[":prefix"] = S(EntryPrefix);
        }
        if (actor is not null) values[":actor"] = S(actor);
        var request = new QueryRequest
        {
            ConsistentRead = true,
            KeyConditionExpression = fromSequence > 1 ? "#pk = :pk AND #sk BETWEEN :from AND :end" : "#pk = :pk AND begins_with(#sk, :prefix)",
            FilterExpression = actor is null ? null : "#actorId = :actor OR #actorName = :actor",
            ProjectionExpression = AuditProjection,
            ExpressionAttributeValues = values,
            ScanIndexForward = forward,
            Limit = 500,
        };
        await foreach (var item in QueryAllAsync(request, cancellationToken)) yield return ReadAudit(item);
    }

    /// <summary>Checkpoints live in their own partition, their sort key the record's sequence number (the latest last).</summary>
    public const string CheckpointPk = "AUDITCP";

    public async Task<AuditCheckpoint?> LatestAuditCheckpointAsync(CancellationToken cancellationToken)
    {
        var page = await client.QueryAsync(new QueryRequest
        {
            TableName = table, ConsistentRead = true, KeyConditionExpression = "#pk = :pk", ExpressionAttributeNames = NamesIn("#pk"),
            ExpressionAttributeValues = new() { [":pk"] = S(CheckpointPk) }, ScanIndexForward = false, Limit = 1,
        }, cancellationToken);
        if (page.Items is not { Count: > 0 } items) return null;
        var i = items[0];
        return new AuditCheckpoint(Long(i["seq"]), i["hash"].S, Ticks(i["at"]), i["keySource"].S, i["wrappedKey"].S, i["mac"].S);
    }

    public async Task SaveAuditCheckpointAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var item = Key(CheckpointPk, $"{checkpoint.Sequence:D12}");
        item["seq"] = N(checkpoint.Sequence);
        item["hash"] = S(checkpoint.Hash);
        item["at"] = N(checkpoint.At.UtcTicks);
        item["keySource"] = S(checkpoint.KeySource);
        item["wrappedKey"] = S(checkpoint.WrappedKey);
        item["mac"] = S(checkpoint.Mac);
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = table, Item = item, ConditionExpression = "attribute_not_exists(#pk)", ExpressionAttributeNames = NamesIn("#pk"),
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Another check signed this record first.
        }
    }
}
