using Amazon.DynamoDBv2.Model;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbItems;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>
/// Dead letters: partition <c>DEADLETTER</c>, each under its message's outbox sort key, with the whole message, the error
/// and when it was given up. A message's card is its <c>updateKey</c> (an edit) or its <c>key</c> (a first post); a newer
/// message of the same card makes an older dead letter outdated. A replay goes back to the outbox under a new sequence
/// number after every message queued so far: the chain's last entry × 1000 + 500 and up, a range commits never use
/// (a commit's messages are its entry × 1000 + 0…99).
/// </summary>
public sealed partial class DynamoDbWorkflowStore
{
    private const long ReplayOffset = 500;

    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int max, CancellationToken cancellationToken)
    {
        var list = new List<DeadLetter>();
        if (max <= 0) return list;
        await foreach (var item in QueryAllAsync(new QueryRequest
        {
            ConsistentRead = true, KeyConditionExpression = "#pk = :pk", ExpressionAttributeValues = new() { [":pk"] = S(DeadLetterPk) },
        }, cancellationToken))
        {
            list.Add(ReadDeadLetter(item));
            if (list.Count >= max) break;
        }
        return list;
    }

    public async Task<int> CountDeadLettersAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.QueryAsync(new QueryRequest
            {
                TableName = table, ConsistentRead = true, KeyConditionExpression = "#pk = :pk", Select = Amazon.DynamoDBv2.Select.COUNT,
                ExpressionAttributeNames = NamesIn("#pk"), ExpressionAttributeValues = new() { [":pk"] = S(DeadLetterPk) }, ExclusiveStartKey = start,
            }, cancellationToken);
            total += page.Count ?? 0;
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
        return total;
    }

    public async Task<DeadLetterReplay> ReplayDeadLetterAsync(string messageId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var dead = await FindDeadLetterAsync(messageId, cancellationToken);
            if (dead is null) return DeadLetterReplay.NotFound;
            var message = ReadDeadLetter(dead).Message;

            // An older version of a card (an edit with a newer edit of the same card queued or given up too) would show an outdated card.
            if (message.UpdateKey is not null
                && (await HasNewerEditAsync(OutboxPk, message, cancellationToken) || await HasNewerEditAsync(DeadLetterPk, message, cancellationToken)))
            {
                if (await TryTransactAsync([DeleteDead(dead)], cancellationToken)) return DeadLetterReplay.Superseded;
                continue;
            }

            // A card's first post goes back with what shares its fate: its edits (only the newest) and thread lines, in order, and the
            // ones still queued (not held by a sender) move behind it. An edit or thread line of a card given up brings the card.
            var card = message.UpdateKey ?? message.ThreadUnderKey;
            var root = card is null ? message.Key : await IsGivenUpAsync(card, cancellationToken) ? card : null;
            var actions = new List<TransactWriteItem>();
            var sequence = await NextReplaySequenceAsync(cancellationToken);
            if (root is null)
            {
                actions.Add(DeleteDead(dead));
                actions.Add(Requeue(dead, message with { Sequence = sequence, Attempts = 0 }, "replayed after: " + ReadDeadLetter(dead).Error));
            }
            else
            {
                var deadOfCard = await OfCardAsync(DeadLetterPk, root, cancellationToken);
                var queuedOfCard = (await OfCardAsync(OutboxPk, root, cancellationToken)).Where(i => !i.ContainsKey("leaseUntil")).ToList();
                var newestEdit = deadOfCard.Concat(queuedOfCard).Where(i => Optional(i, "updateKey") == root).Select(i => i["sk"].S).DefaultIfEmpty("").Max(StringComparer.Ordinal);
                var posts = deadOfCard.Where(i => Optional(i, "updateKey") is null && Optional(i, "threadKey") is null && i["key"].S == root);
                var members = posts.Concat(deadOfCard.Concat(queuedOfCard).Where(i => Optional(i, "threadKey") == root || i["sk"].S == newestEdit)
                    .OrderBy(i => i["sk"].S, StringComparer.Ordinal)).DistinctBy(i => i["pk"].S + i["sk"].S).ToList();
                foreach (var item in deadOfCard.Where(i => Optional(i, "updateKey") == root && i["sk"].S != newestEdit)) actions.Add(DeleteDead(item)); // outdated
                foreach (var item in members)
                {
                    var isDead = item["pk"].S == DeadLetterPk;
                    var member = isDead ? ReadDeadLetter(item).Message : ReadOutbox(item);
                    actions.Add(isDead ? DeleteDead(item) : DeleteQueued(item));
                    actions.Add(Requeue(item, member with { Sequence = sequence++, Attempts = isDead ? 0 : member.Attempts },
                        isDead ? "replayed after: " + ReadDeadLetter(item).Error : Optional(item, "lastError")));
                }
            }
            if (actions.Count > DynamoDbLimits.MaxTransactionActions)
                throw new StoreLimitExceededException($"Dead letter {messageId} brings {actions.Count / 2} messages of its card back; replay them one by one.");
            if (await TryTransactAsync(actions, cancellationToken)) return DeadLetterReplay.Replayed;
        }
        throw new ConcurrencyConflictException($"Dead letter {messageId} kept changing while it was replayed.");
    }

    private TransactWriteItem DeleteDead(Dictionary<string, AttributeValue> dead) => new()
    {
        Delete = new Delete { TableName = table, Key = Key(DeadLetterPk, dead["sk"].S), ConditionExpression = "attribute_exists(#pk)", ExpressionAttributeNames = NamesIn("#pk") },
    };

    /// <summary>A queued message moved behind its replayed card: only while no sender holds it.</summary>
    private TransactWriteItem DeleteQueued(Dictionary<string, AttributeValue> queued) => new()
    {
        Delete = new Delete
        {
            TableName = table, Key = Key(OutboxPk, queued["sk"].S), ConditionExpression = "attribute_exists(#pk) AND attribute_not_exists(#leaseUntil)",
            ExpressionAttributeNames = NamesIn("#pk #leaseUntil"),
        },
    };

    private TransactWriteItem Requeue(Dictionary<string, AttributeValue> from, OutboxMessage message, string? lastError)
    {
        var queued = OutboxItem(message);
        queued["attempts"] = N(message.Attempts);
        if (lastError is not null) queued["lastError"] = S(lastError);
        return new TransactWriteItem
        {
            Put = new Put { TableName = table, Item = queued, ConditionExpression = "attribute_not_exists(#pk)", ExpressionAttributeNames = NamesIn("#pk") },
        };
    }

    /// <summary>The messages of partition <paramref name="pk"/> that are card <paramref name="card"/>'s first post, edits or thread lines.</summary>
    private async Task<List<Dictionary<string, AttributeValue>>> OfCardAsync(string pk, string card, CancellationToken cancellationToken)
    {
        var list = new List<Dictionary<string, AttributeValue>>();
        await foreach (var item in QueryAllAsync(new QueryRequest
        {
            ConsistentRead = true, KeyConditionExpression = "#pk = :pk", FilterExpression = "#updateKey = :card OR #threadKey = :card OR #key = :card",
            ExpressionAttributeValues = new() { [":pk"] = S(pk), [":card"] = S(card) },
        }, cancellationToken))
        {
            list.Add(item);
        }
        return list;
    }

    /// <summary>Drops the dead edits of <paramref name="delivered"/>'s card that are older than it: outdated now.</summary>
    private async Task DropOutdatedDeadLettersAsync(OutboxMessage delivered, CancellationToken cancellationToken)
    {
        var card = delivered.UpdateKey ?? delivered.Key;
        await foreach (var item in QueryAllAsync(new QueryRequest
        {
            KeyConditionExpression = "#pk = :pk AND #sk < :sk", FilterExpression = "#updateKey = :card", ProjectionExpression = "#pk, #sk",
            ExpressionAttributeValues = new() { [":pk"] = S(DeadLetterPk), [":sk"] = S(OutboxSk(delivered.Sequence)), [":card"] = S(card) },
        }, cancellationToken))
        {
            await client.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = Key(item["pk"].S, item["sk"].S) }, cancellationToken);
        }
    }

    private async Task<Dictionary<string, AttributeValue>?> FindDeadLetterAsync(string messageId, CancellationToken cancellationToken)
    {
        await foreach (var item in QueryAllAsync(new QueryRequest
        {
            ConsistentRead = true, KeyConditionExpression = "#pk = :pk", FilterExpression = "#id = :id",
            ExpressionAttributeValues = new() { [":pk"] = S(DeadLetterPk), [":id"] = S(messageId) },
        }, cancellationToken))
        {
            return item;
        }
        return null;
    }

    /// <summary>Whether partition <paramref name="pk"/> holds an edit of <paramref name="message"/>'s card that came after it.</summary>
    private async Task<bool> HasNewerEditAsync(string pk, OutboxMessage message, CancellationToken cancellationToken)
    {
        await foreach (var _ in QueryAllAsync(new QueryRequest
        {
            ConsistentRead = true, KeyConditionExpression = "#pk = :pk AND #sk > :sk", FilterExpression = "#updateKey = :card", ProjectionExpression = "#pk",
            ExpressionAttributeValues = new() { [":pk"] = S(pk), [":sk"] = S(OutboxSk(message.Sequence)), [":card"] = S(message.UpdateKey!) },
        }, cancellationToken))
        {
            return true;
        }
        return false;
    }

    /// <summary>A sequence number after every message queued so far, in the replay range of the chain's last entry.</summary>
    private async Task<long> NextReplaySequenceAsync(CancellationToken cancellationToken)
    {
        var (end, _) = await ReadChainEndAsync();
        var first = end * 1000 + ReplayOffset;
        var page = await client.QueryAsync(new QueryRequest
        {
            TableName = table, ConsistentRead = true, KeyConditionExpression = "#pk = :pk AND #sk BETWEEN :from AND :to", ProjectionExpression = "#seq",
            ExpressionAttributeNames = NamesIn("#pk #sk #seq"),
            ExpressionAttributeValues = new() { [":pk"] = S(OutboxPk), [":from"] = S(OutboxSk(first)), [":to"] = S(OutboxSk(end * 1000 + 999)) },
            ScanIndexForward = false, Limit = 1,
        }, cancellationToken);
        return page.Items is { Count: > 0 } items ? Long(items[0]["seq"]) + 1 : first;
    }

    private async Task<bool> TryTransactAsync(List<TransactWriteItem> items, CancellationToken cancellationToken)
    {
        try
        {
            await client.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = items, ClientRequestToken = Guid.NewGuid().ToString() }, cancellationToken);
            return true;
        }
        catch (TransactionCanceledException)
        {
            return false;
        }
    }

    private static Dictionary<string, AttributeValue> DeadLetterItem(OutboxMessage message, string error, DateTimeOffset failedAt)
    {
        var item = OutboxItem(message);
        item["pk"] = S(DeadLetterPk);
        item["attempts"] = N(message.Attempts);
        item["error"] = S(error);
        item["failedAt"] = N(failedAt.UtcTicks);
        return item;
    }

    /// <summary>A dead letter; those written before whole messages were kept have only id, channel, text and error.</summary>
    private static DeadLetter ReadDeadLetter(Dictionary<string, AttributeValue> item)
    {
        var sequence = long.Parse(item["sk"].S, System.Globalization.CultureInfo.InvariantCulture);
        var createdAt = OptionalTicks(item, "createdAt") ?? DateTimeOffset.UnixEpoch;
        var message = new OutboxMessage
        {
            Id = item["id"].S,
            Sequence = sequence,
            Key = Optional(item, "key") ?? item["id"].S,
            Channel = item["channel"].S,
            Text = item["text"].S,
            ContentJson = Optional(item, "content"),
            ThreadUnderKey = Optional(item, "threadKey"),
            UpdateKey = Optional(item, "updateKey"),
            CreatedAt = createdAt,
            Attempts = item.TryGetValue("attempts", out var a) ? (int)Long(a) : 0,
        };
        return new DeadLetter(message, Optional(item, "error") ?? "unknown", OptionalTicks(item, "failedAt") ?? createdAt);
    }
}
