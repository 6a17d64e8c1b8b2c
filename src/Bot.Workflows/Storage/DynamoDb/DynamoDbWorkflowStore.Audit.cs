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

    private async IAsyncEnumerable<AuditRecord> QueryAudit(bool forward, string? actor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue> { [":pk"] = S(AuditPk), [":prefix"] = S(EntryPrefix) };
        if (actor is not null) values[":actor"] = S(actor);
        var request = new QueryRequest
        {
            ConsistentRead = true,
            KeyConditionExpression = "#pk = :pk AND begins_with(#sk, :prefix)",
            FilterExpression = actor is null ? null : "#actorId = :actor OR #actorName = :actor",
            ProjectionExpression = AuditProjection,
            ExpressionAttributeValues = values,
            ScanIndexForward = forward,
            Limit = 500,
        };
        await foreach (var item in QueryAllAsync(request, cancellationToken)) yield return ReadAudit(item);
    }
}
