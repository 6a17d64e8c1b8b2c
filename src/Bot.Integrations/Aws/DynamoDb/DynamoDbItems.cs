using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace Bot.Integrations.Aws.DynamoDb;

public sealed class DynamoDbItems(DynamoDbClientProvider clients) : IDynamoDbItems
{
    public async Task<TableKeys> DescribeKeysAsync(string table, CancellationToken cancellationToken)
    {
        var response = await DynamoDbCall.RunAsync(clients, "DescribeTable",
            dynamo => dynamo.DescribeTableAsync(new DescribeTableRequest { TableName = table }, cancellationToken), cancellationToken);
        var indexes = (response.Table.GlobalSecondaryIndexes ?? [])
            .Select(i => new IndexKeys(i.IndexName, KeyOf(i.KeySchema, "HASH") ?? "", KeyOf(i.KeySchema, "RANGE")))
            .ToList();
        return new TableKeys(response.Table.TableName ?? table, response.Table.TableArn ?? "", indexes, response.Table.ItemCount ?? 0);
    }

    public async Task<ItemPage> QueryAsync(ItemRead read, CancellationToken cancellationToken)
    {
        var response = await DynamoDbCall.RunAsync(clients, "Query", dynamo => dynamo.QueryAsync(new QueryRequest
        {
            TableName = read.Table,
            IndexName = read.Index,
            KeyConditionExpression = read.KeyCondition,
            FilterExpression = read.Filter,
            ExpressionAttributeNames = Names(read),
            ExpressionAttributeValues = Values(read),
            Limit = read.Limit,
            ExclusiveStartKey = read.StartKey?.Key,
            ScanIndexForward = read.Ascending,
        }, cancellationToken), cancellationToken);
        return Page(response.Items, response.ScannedCount, response.LastEvaluatedKey);
    }

    public async Task<ItemPage> ScanAsync(ItemRead read, CancellationToken cancellationToken)
    {
        var response = await DynamoDbCall.RunAsync(clients, "Scan", dynamo => dynamo.ScanAsync(new ScanRequest
        {
            TableName = read.Table,
            IndexName = read.Index,
            FilterExpression = read.Filter,
            ExpressionAttributeNames = Names(read),
            ExpressionAttributeValues = Values(read),
            Limit = read.Limit,
            ExclusiveStartKey = read.StartKey?.Key,
        }, cancellationToken), cancellationToken);
        return Page(response.Items, response.ScannedCount, response.LastEvaluatedKey);
    }

    private static string? KeyOf(List<KeySchemaElement>? schema, string type) =>
        schema?.FirstOrDefault(k => k.KeyType?.Value == type)?.AttributeName;

    private static Dictionary<string, string>? Names(ItemRead read) => read.Names.Count == 0 ? null : new(read.Names);

    private static Dictionary<string, AttributeValue>? Values(ItemRead read) =>
        read.Values.Count == 0 ? null : read.Values.ToDictionary(kv => kv.Key, kv => new AttributeValue { S = kv.Value });

    private static ItemPage Page(List<Dictionary<string, AttributeValue>>? items, int? scanned, Dictionary<string, AttributeValue>? last) => new(
        (items ?? []).Select(i => (IReadOnlyDictionary<string, string>)i.ToDictionary(kv => kv.Key, kv => Text(kv.Value), StringComparer.Ordinal)).ToList(),
        scanned ?? items?.Count ?? 0,
        last is { Count: > 0 } ? new PageKey(last) : null);

    private static string Text(AttributeValue v) =>
        v.S ?? v.N ?? (v.BOOL is { } b ? (b ? "true" : "false") : v.NULL == true ? "" : v.SS is { Count: > 0 } ss ? string.Join(',', ss) : "");
}
