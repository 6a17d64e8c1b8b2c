using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Bot.Integrations.Aws.DynamoDb;
using Bot.Workflows.Ports;

namespace Bot.Integrations.Aws.Recovery;

/// <summary>
/// <see cref="ISessionItems"/> over a user-sessions table: Scan with a filter on <c>created_at</c> (the guide's clean-up,
/// on the attribute the table really has) and a DeleteItem per session that holds only if the session still exists and
/// is still older than the cut-off. BatchWriteItem takes no conditions, so it cannot promise that; a batch is these
/// conditional deletes. The scan's position (LastEvaluatedKey) travels as JSON, so a clean-up can resume from it.
/// </summary>
public sealed class AwsSessionItems(IDynamoDbRecovery dynamo) : ISessionItems
{
    private const string Older = "created_at < :cutoff";

    public Task<SessionPage> ScanOlderThanAsync(string table, long cutoff, string? cursor, int limit, CancellationToken cancellationToken) => AwsPortErrors.TranslateAsync(async () =>
    {
        var page = await dynamo.ScanAsync(new ScanRequest
        {
            TableName = table,
            FilterExpression = Older,
            ProjectionExpression = "customer_id, session_id, created_at, expires_at",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":cutoff"] = Number(cutoff) },
            ExclusiveStartKey = cursor is null ? null : ReadCursor(cursor),
            Limit = limit,
        }, cancellationToken);
        var old = page.Items.Select(i => new SessionKey(Text(i, "customer_id"), Text(i, "session_id"), Long(i, "created_at"), Long(i, "expires_at"))).ToList();
        return new SessionPage(old, page.LastEvaluatedKey is { } last ? WriteCursor(last) : null, page.ScannedCount);
    });

    public Task<bool> DeleteIfOlderAsync(string table, SessionKey key, long cutoff, CancellationToken cancellationToken) => AwsPortErrors.TranslateAsync(() =>
        dynamo.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = table,
            Key = new Dictionary<string, AttributeValue> { ["customer_id"] = new() { S = key.CustomerId }, ["session_id"] = new() { S = key.SessionId } },
            ConditionExpression = "attribute_exists(session_id) AND " + Older,
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":cutoff"] = Number(cutoff) },
        }, cancellationToken));

    public Task<string?> TimeToLiveAttributeAsync(string table, CancellationToken cancellationToken) => AwsPortErrors.TranslateAsync(async () =>
    {
        var ttl = await dynamo.DescribeTimeToLiveAsync(table, cancellationToken);
        return ttl.Enabled ? ttl.AttributeName : null;
    });

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static string Text(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out var v) ? v.S ?? "" : "";

    private static long Long(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && long.TryParse(v.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>A scan position as JSON: each key attribute's type (S or N) and value.</summary>
    internal static string WriteCursor(Dictionary<string, AttributeValue> key) =>
        JsonSerializer.Serialize(key.ToDictionary(k => k.Key, k => k.Value.N is not null ? new[] { "N", k.Value.N } : new[] { "S", k.Value.S ?? "" }));

    internal static Dictionary<string, AttributeValue> ReadCursor(string cursor)
    {
        var parts = JsonSerializer.Deserialize<Dictionary<string, string[]>>(cursor) ?? throw new FormatException("The clean-up's position is empty.");
        return parts.ToDictionary(p => p.Key, p => p.Value is ["N", var n] ? new AttributeValue { N = n } : new AttributeValue { S = p.Value.ElementAtOrDefault(1) ?? "" });
    }
}
