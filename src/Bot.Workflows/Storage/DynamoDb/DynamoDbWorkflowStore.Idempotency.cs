using Amazon.DynamoDBv2.Model;
using Bot.Workflows.Idempotency;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbItems;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbTableDefinition;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>
/// Idempotency keys (<c>IDEM#key</c>): claimed with a conditional put, completed with their outcome (by a commit, in
/// its transaction, or on their own). TTL deletes expired keys; reads check expiry themselves, since TTL is lazy.
/// </summary>
public sealed partial class DynamoDbWorkflowStore
{
    /// <summary>A key may be claimed when it is new, its claim expired, or its claimer gave no outcome for too long (it died).</summary>
    internal const string ClaimCondition = "attribute_not_exists(#pk) OR #expiresAt <= :now OR (attribute_not_exists(#outcome) AND #claimedAt <= :abandoned)";

    public async Task<IdempotencyClaim> ClaimAsync(string key, TimeSpan retention, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var item = IdempotencyKey(key);
        item["claimedAt"] = N(now.UtcTicks);
        item["expiresAt"] = N((now + retention).UtcTicks);
        item[TtlAttribute] = N((now + retention).ToUnixTimeSeconds());
        DynamoDbLimits.Check(item, $"Idempotency key {key}");
        const string condition = ClaimCondition;
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = table,
                Item = item,
                ConditionExpression = condition,
                ExpressionAttributeNames = NamesIn(condition),
                ExpressionAttributeValues = new()
                {
                    [":now"] = N(now.UtcTicks), [":abandoned"] = N((now - Sqlite.SqliteWorkflowStore.AbandonedClaimAfter).UtcTicks),
                },
            }, cancellationToken);
            return IdempotencyClaim.First;
        }
        catch (ConditionalCheckFailedException)
        {
            var existing = await GetAsync(IdempotencyKey(key), cancellationToken);
            return new IdempotencyClaim(false, existing is null ? null : Optional(existing, "outcome"));
        }
    }

    public async Task CompleteAsync(string key, string outcome, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // A key completed after its claim keeps the claim's retention (a webhook's key is kept 7 days, as on SQLite); one
        // completed without a claim is kept a day.
        var expiresAt = now + TimeSpan.FromDays(1);
        const string update = "SET #outcome = :o, #expiresAt = if_not_exists(#expiresAt, :exp), #ttl = if_not_exists(#ttl, :ttl), #claimedAt = if_not_exists(#claimedAt, :now)";
        await client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = IdempotencyKey(key),
            UpdateExpression = update,
            ExpressionAttributeNames = NamesIn(update),
            ExpressionAttributeValues = new()
            {
                [":o"] = S(outcome), [":exp"] = N(expiresAt.UtcTicks), [":ttl"] = N(expiresAt.ToUnixTimeSeconds()), [":now"] = N(now.UtcTicks),
            },
        }, cancellationToken);
    }
}
