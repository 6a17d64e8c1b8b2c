using Amazon.DynamoDBv2.Model;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbItems;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>
/// The outbox: messages in one partition ordered by their commit's sequence, claimed a channel's head at a time with a
/// lease; delivery records (<c>MSG#key</c>) say where a message ended up; channel items pace each channel.
/// </summary>
public sealed partial class DynamoDbWorkflowStore
{
    public async Task<IReadOnlyList<OutboxMessage>> ClaimOutboxAsync(DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        // The heads of each channel's two lanes, in sequence order: its first post (new messages and thread lines) — its first
        // urgent post (a storm's digest) if it has one — and its first edit of a card; an edit whose card's first post is still
        // queued waits for it (only keys, channel, card and urgency are read here).
        var heads = new Dictionary<(string Channel, bool Edit), Dictionary<string, AttributeValue>>();
        var urgent = new Dictionary<string, Dictionary<string, AttributeValue>>(StringComparer.Ordinal);
        var queuedPosts = new HashSet<string>(StringComparer.Ordinal);
        var queued = new QueryRequest
        {
            ConsistentRead = true, KeyConditionExpression = "#pk = :pk", ProjectionExpression = "#pk, #sk, #channel, #key, #updateKey, #urgent",
            ExpressionAttributeValues = new() { [":pk"] = S(OutboxPk) },
        };
        await foreach (var item in QueryAllAsync(queued, cancellationToken))
        {
            var update = Optional(item, "updateKey");
            heads.TryAdd((item["channel"].S, update is not null), item);
            if (update is null && item.TryGetValue("urgent", out var flag) && flag.BOOL == true) urgent.TryAdd(item["channel"].S, item);
            if (update is null && Optional(item, "key") is { } key) queuedPosts.Add(key);
        }
        foreach (var (channel, first) in urgent) heads[(channel, false)] = first;

        var claimed = new List<OutboxMessage>();
        var pacings = new Dictionary<string, Dictionary<string, AttributeValue>?>(StringComparer.Ordinal);
        foreach (var ((channel, edit), head) in heads.OrderBy(h => h.Value["sk"].S, StringComparer.Ordinal))
        {
            if (claimed.Count >= max) break;
            if (edit && queuedPosts.Contains(head["updateKey"].S)) continue;
            if (!pacings.TryGetValue(channel, out var pacing))
                pacings[channel] = pacing = await GetAsync(ChannelKey(channel), cancellationToken, "#notBefore, #editsNotBefore");
            if (pacing is not null && OptionalTicks(pacing, edit ? "editsNotBefore" : "notBefore") > now) continue;
            try
            {
                var updated = await client.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = table,
                    Key = Key(head["pk"].S, head["sk"].S),
                    UpdateExpression = "SET #leaseOwner = :owner, #leaseUntil = :until, #leaseToken = :token ADD #attempts :one",
                    ConditionExpression = "attribute_exists(#pk) AND (attribute_not_exists(#leaseUntil) OR #leaseUntil <= :now)",
                    ExpressionAttributeNames = NamesIn("#leaseOwner #leaseUntil #attempts #pk #leaseToken"),
                    ExpressionAttributeValues = new()
                    {
                        [":owner"] = S(owner), [":until"] = N((now + lease).UtcTicks), [":now"] = N(now.UtcTicks), [":one"] = N(1), [":token"] = S(LeaseHold.NewToken()),
                    },
                    ReturnValues = Amazon.DynamoDBv2.ReturnValue.ALL_NEW,
                }, cancellationToken);
                claimed.Add(ReadOutbox(updated.Attributes));
            }
            catch (ConditionalCheckFailedException)
            {
                // Another sender holds it, or it was delivered meanwhile.
            }
        }
        return claimed;
    }

    public Task<bool> RenewOutboxLeaseAsync(OutboxMessage message, DateTimeOffset until, CancellationToken cancellationToken) =>
        TryUpdateAsync(OutboxKey(message.Sequence), "SET #leaseUntil = :until", "attribute_exists(#pk) AND " + HeldBy,
            Held(message.Lease, new() { [":until"] = N(until.UtcTicks) }), cancellationToken);

    public async Task<SentMessage?> FindSentAsync(string key, CancellationToken cancellationToken)
    {
        var item = await GetAsync(SentKey(key), cancellationToken);
        var sent = item is null ? null : new SentMessage(key, item["messageId"].S, item["channel"].S, item["ts"].S, Ticks(item["sentAt"]));
        // TTL removes expired records lazily: one past its retention is gone already as far as the outbox knows.
        return sent is null || sent.ExpiredAt(time.GetUtcNow()) ? null : sent;
    }

    public async Task CompleteOutboxAsync(OutboxMessage message, SentMessage sent, DateTimeOffset channelNextAt, CancellationToken cancellationToken)
    {
        // Order matters: the delivery record first (it is what stops a second post, whoever holds the message now),
        // then pacing, then the queue item — removed only by its lease holder, so a sender whose lease ran out and was
        // taken over leaves it to the new holder, which finds the record and finishes it without posting again.
        await client.PutItemAsync(new PutItemRequest { TableName = table, Item = SentItem(sent) }, cancellationToken);
        await PaceChannelAsync(message, channelNextAt, cancellationToken);
        try
        {
            await client.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = table, Key = OutboxKey(message.Sequence), ConditionExpression = HeldBy,
                ExpressionAttributeNames = NamesIn(HeldBy), ExpressionAttributeValues = Held(message.Lease, []),
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Held by another sender now, or already gone.
        }
        await DropOutdatedDeadLettersAsync(message, cancellationToken);
    }

    public async Task DeferOutboxAsync(OutboxMessage message, DateTimeOffset channelNextAt, string error, CancellationToken cancellationToken)
    {
        await PaceChannelAsync(message, channelNextAt, cancellationToken);
        await TryUpdateAsync(OutboxKey(message.Sequence), "REMOVE #leaseOwner, #leaseUntil, #leaseToken SET #lastError = :e", HeldBy,
            Held(message.Lease, new() { [":e"] = S(error) }), cancellationToken);
    }

    public async Task FailOutboxAsync(OutboxMessage message, string error, CancellationToken cancellationToken)
    {
        var deadLetter = DeadLetterItem(message, error, time.GetUtcNow());
        try
        {
            // Moved to the dead letters in one transaction, and only by the message's lease holder.
            await client.TransactWriteItemsAsync(new TransactWriteItemsRequest
            {
                TransactItems =
                [
                    new TransactWriteItem { Put = new Put { TableName = table, Item = deadLetter } },
                    new TransactWriteItem
                    {
                        Delete = new Delete
                        {
                            TableName = table, Key = OutboxKey(message.Sequence), ConditionExpression = HeldBy,
                            ExpressionAttributeNames = NamesIn(HeldBy), ExpressionAttributeValues = Held(message.Lease, []),
                        },
                    },
                ],
                ClientRequestToken = Guid.NewGuid().ToString(),
            }, cancellationToken);
        }
        catch (TransactionCanceledException)
        {
            // Held by another sender now (it decides), or already gone.
        }
    }

    public async Task<int> CountPendingOutboxAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.QueryAsync(new QueryRequest
            {
                TableName = table, ConsistentRead = true, KeyConditionExpression = "#pk = :pk", Select = Amazon.DynamoDBv2.Select.COUNT,
                ExpressionAttributeNames = NamesIn("#pk"), ExpressionAttributeValues = new() { [":pk"] = S(OutboxPk) }, ExclusiveStartKey = start,
            }, cancellationToken);
            total += page.Count ?? 0;
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
        return total;
    }

    public async Task<DateTimeOffset?> OldestPendingOutboxAsync(CancellationToken cancellationToken)
    {
        // The queue's head: the first message in sequence order (a given-up message has moved to the dead letters).
        var page = await client.QueryAsync(new QueryRequest
        {
            TableName = table, ConsistentRead = true, KeyConditionExpression = "#pk = :pk", ProjectionExpression = "#createdAt", Limit = 1,
            ExpressionAttributeNames = NamesIn("#pk #createdAt"), ExpressionAttributeValues = new() { [":pk"] = S(OutboxPk) },
        }, cancellationToken);
        return page.Items is [var head, ..] && head.TryGetValue("createdAt", out var created) ? Ticks(created) : null;
    }

    /// <summary>Paces the lane of <paramref name="message"/>'s channel it travels in (posts, or edits) until <paramref name="notBefore"/>.</summary>
    private Task PaceChannelAsync(OutboxMessage message, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        var lane = message.UpdateKey is null ? "#notBefore" : "#editsNotBefore";
        return TryUpdateAsync(ChannelKey(message.Channel), $"SET {lane} = :nb", $"attribute_not_exists({lane}) OR {lane} < :nb",
            new() { [":nb"] = N(notBefore.UtcTicks) }, cancellationToken);
    }

    public async Task<bool> IsGivenUpAsync(string key, CancellationToken cancellationToken)
    {
        await foreach (var _ in QueryAllAsync(new QueryRequest
        {
            ConsistentRead = true, KeyConditionExpression = "#pk = :pk", FilterExpression = "#key = :key AND attribute_not_exists(#updateKey)", ProjectionExpression = "#pk",
            ExpressionAttributeValues = new() { [":pk"] = S(DeadLetterPk), [":key"] = S(key) },
        }, cancellationToken))
        {
            return true;
        }
        return false;
    }
}
