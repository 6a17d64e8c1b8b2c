using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Bot.Workflows.Audit;
using Bot.Workflows.Idempotency;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbTableDefinition;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>
/// The store for several instances: one DynamoDB table, conditional writes only.
/// <para>
/// How a unit of work stays atomic: every commit is first written as ONE item, the next entry of the
/// audit chain (<c>pk=AUDIT, sk=E#&lt;seq&gt;</c>), with a condition that the entry does not exist yet. That
/// conditional put is the commit point: it decides the order of all commits (the chain stays linear with
/// any number of instances) and carries the whole unit of work (new aggregate record, messages, timers,
/// idempotency outcome). Before the put the writer checks the aggregate's version; because every change
/// to any aggregate goes through the next sequence number, a concurrent change makes the put fail and the
/// engine reloads. After the put, the entry is <em>applied</em> (aggregate item, outbox items, timers,
/// idempotency outcome — each write idempotent) and the chain head advances. If a process dies in
/// between, the next writer, timer round or outbox round rolls the entry forward first, so a committed
/// unit of work is never lost and never half-visible for long.
/// </para>
/// <para>
/// Why not <c>TransactWriteItems</c>: it would do the same in one call on AWS, but dynalite (the DynamoDB
/// the tests run against) does not implement transactions, and the log-then-apply scheme gives the same
/// guarantees with single-item conditional writes that both support. TTL (<c>ttl</c>) removes expired
/// idempotency keys on AWS; reads also check expiry themselves, since TTL deletion is lazy.
/// </para>
/// </summary>
public sealed class DynamoDbWorkflowStore(IAmazonDynamoDB client, string table, TimeProvider time, bool createTable = false, ILogger<DynamoDbWorkflowStore>? logger = null)
    : IWorkflowStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    private const string AuditPk = "AUDIT";
    private const string HeadSk = "HEAD";
    private const string EntryPrefix = "E#";
    private const string OutboxPk = "OUTBOX";
    private const string DeadLetterPk = "DEADLETTER";
    private const string TimersGsiPk = "TIMERS";

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
        try
        {
            await client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = table,
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = TtlAttribute, Enabled = true },
            }, cancellationToken);
        }
        catch (AmazonDynamoDBException e) when (e.ErrorCode is "UnknownOperationException")
        {
            _logger.LogWarning("This DynamoDB endpoint does not support TTL; expired idempotency keys are ignored on read but not deleted");
        }
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

    // ---------------------------------------------------------------- aggregates and commits

    public async Task<AggregateRecord?> LoadAsync(string aggregateType, string aggregateId, CancellationToken cancellationToken)
    {
        await RollForwardAsync(cancellationToken);
        return await ReadAggregateAsync(aggregateType, aggregateId, cancellationToken);
    }

    private async Task<AggregateRecord?> ReadAggregateAsync(string aggregateType, string aggregateId, CancellationToken cancellationToken)
    {
        var item = await GetAsync(AggregatePk(aggregateType, aggregateId), "AGG", cancellationToken);
        if (item is null) return null;
        return new AggregateRecord(aggregateType, aggregateId, item["state"].S, item["data"].S, long.Parse(item["version"].N, CultureInfo.InvariantCulture),
            Ticks(item["updatedAt"]));
    }

    public async Task<AuditRecord> CommitAsync(UnitOfWork work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (seq, hash) = await RollForwardAsync(cancellationToken);
            if (work.Aggregate is { } a)
            {
                var current = await ReadAggregateAsync(a.AggregateType, a.AggregateId, cancellationToken);
                if ((current?.Version ?? 0) != work.ExpectedVersion)
                    throw new ConcurrencyConflictException($"{a.AggregateType}/{a.AggregateId} is at version {current?.Version ?? 0}, not {work.ExpectedVersion}.");
            }

            var next = seq + 1;
            var audit = AuditChain.Seal(work.Audit, next, hash);
            var sequenced = work with { Messages = work.Messages.Select((m, i) => m with { Sequence = next * 1000 + i }).ToList() };
            var entry = AuditItem(audit);
            entry["uow"] = S(JsonSerializer.Serialize(sequenced, Json));
            try
            {
                await client.PutItemAsync(new PutItemRequest
                {
                    TableName = table,
                    Item = entry,
                    ConditionExpression = "attribute_not_exists(pk)",
                }, cancellationToken);
            }
            catch (ConditionalCheckFailedException)
            {
                // Someone else took this sequence number. Standalone audit records simply take the next one;
                // for an aggregate, the loop re-checks its version after rolling their entry forward.
                if (attempt >= 200) throw new ConcurrencyConflictException("The audit chain is too busy; try again.");
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, Math.Min(attempt, 20))), cancellationToken);
                continue;
            }

            // Committed. Applying is idempotent and also done by whoever comes next, so a failure here loses nothing.
            try
            {
                await ApplyAsync(sequenced, next, cancellationToken);
                await AdvanceHeadAsync(seq, next, audit.Hash, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning(e, "Entry {Seq} is committed but not yet applied; the next writer will apply it", next);
            }
            return audit;
        }
    }

    /// <summary>Applies committed entries that the chain head has not reached yet; returns the head (sequence, hash).</summary>
    private async Task<(long Seq, string Hash)> RollForwardAsync(CancellationToken cancellationToken)
    {
        var head = await GetAsync(AuditPk, HeadSk, cancellationToken);
        var seq = head is null ? 0 : long.Parse(head["seq"].N, CultureInfo.InvariantCulture);
        var hash = head is null ? AuditChain.Genesis : head["hash"].S;
        while (true)
        {
            var pending = await GetAsync(AuditPk, EntrySk(seq + 1), cancellationToken);
            if (pending is null) return (seq, hash);
            var work = JsonSerializer.Deserialize<UnitOfWork>(pending["uow"].S, Json)!;
            await ApplyAsync(work, seq + 1, cancellationToken);
            await AdvanceHeadAsync(seq, seq + 1, pending["hash"].S, cancellationToken);
            seq++;
            hash = pending["hash"].S;
        }
    }

    private async Task AdvanceHeadAsync(long from, long to, string hash, CancellationToken cancellationToken)
    {
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = table,
                Item = new() { [PkName] = S(AuditPk), [SkName] = S(HeadSk), ["seq"] = N(to), ["hash"] = S(hash) },
                ConditionExpression = from == 0 ? "attribute_not_exists(pk) OR seq < :to" : "seq < :to",
                ExpressionAttributeValues = new() { [":to"] = N(to) },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Another instance already moved the head at least this far.
        }
    }

    private async Task ApplyAsync(UnitOfWork work, long sequence, CancellationToken cancellationToken)
    {
        if (work.Aggregate is { } a)
        {
            await IgnoreConditionFailure(client.PutItemAsync(new PutItemRequest
            {
                TableName = table,
                Item = new()
                {
                    [PkName] = S(AggregatePk(a.AggregateType, a.AggregateId)), [SkName] = S("AGG"),
                    ["state"] = S(a.State), ["data"] = S(a.Data), ["version"] = N(a.Version), ["updatedAt"] = N(a.UpdatedAt.UtcTicks),
                },
                ConditionExpression = "attribute_not_exists(pk) OR version < :v",
                ExpressionAttributeValues = new() { [":v"] = N(a.Version) },
            }, cancellationToken));
        }

        foreach (var m in work.Messages)
        {
            var item = new Dictionary<string, AttributeValue>
            {
                [PkName] = S(OutboxPk), [SkName] = S(OutboxSk(m.Sequence)),
                ["id"] = S(m.Id), ["seq"] = N(m.Sequence), ["key"] = S(m.Key), ["channel"] = S(m.Channel), ["text"] = S(m.Text),
                ["createdAt"] = N(m.CreatedAt.UtcTicks), ["attempts"] = N(0),
            };
            if (m.ContentJson is not null) item["blocks"] = S(m.ContentJson);
            if (m.ThreadUnderKey is not null) item["threadKey"] = S(m.ThreadUnderKey);
            if (m.UpdateKey is not null) item["updateKey"] = S(m.UpdateKey);
            await IgnoreConditionFailure(client.PutItemAsync(new PutItemRequest { TableName = table, Item = item, ConditionExpression = "attribute_not_exists(pk)" }, cancellationToken));
        }

        if (work.FiredTimer is { } fired)
        {
            await IgnoreConditionFailure(client.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = table, Key = TimerKey(fired.Id), ConditionExpression = "#token = :token",
                ExpressionAttributeNames = new() { ["#token"] = "token" }, ExpressionAttributeValues = new() { [":token"] = S(fired.Token) },
            }, cancellationToken));
        }
        foreach (var id in work.TimersToCancel)
            await client.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = TimerKey(id) }, cancellationToken);
        foreach (var t in work.TimersToSet)
        {
            var item = TimerKey(t.Id);
            item["timerId"] = S(t.Id);
            item[TimerIndexPartitionKey] = S(TimersGsiPk);
            item[TimerIndexSortKey] = S($"{t.DueAt.UtcTicks:D20}#{t.Id}");
            item["aggregateType"] = S(t.AggregateType);
            item["aggregateId"] = S(t.AggregateId);
            item["trigger"] = S(t.Trigger);
            item["dueAt"] = N(t.DueAt.UtcTicks);
            item["token"] = S(t.Token);
            if (t.Expectation is not null) item["expectation"] = S(t.Expectation);
            await client.PutItemAsync(new PutItemRequest { TableName = table, Item = item }, cancellationToken);
        }

        foreach (var w in work.WorkToAdd) await PutWorkAsync(w, cancellationToken);
        if (work.CompleteWork is { } done) await MarkWorkCompletedAsync(done, cancellationToken);
        if (work.Idempotency is { } idem) await WriteOutcomeAsync(idem.Key, idem.ToJson(sequence), idem.ExpiresAt, cancellationToken);
    }

    // ---------------------------------------------------------------- audit

    public async Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var list = new List<AuditRecord>();
        await foreach (var record in QueryAudit(forward: false, cancellationToken))
        {
            if (query.Since is { } since && record.At < since) break;
            if (query.ActorId is { } actor && record.ActorId != actor && record.ActorName != actor) continue;
            list.Add(record);
            if (list.Count >= query.Limit) break;
        }
        return list;
    }

    public IAsyncEnumerable<AuditRecord> ReadAuditChainAsync(CancellationToken cancellationToken) => QueryAudit(forward: true, cancellationToken);

    private async IAsyncEnumerable<AuditRecord> QueryAudit(bool forward, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.QueryAsync(new QueryRequest
            {
                TableName = table,
                ConsistentRead = true,
                KeyConditionExpression = "pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues = new() { [":pk"] = S(AuditPk), [":prefix"] = S(EntryPrefix) },
                ScanIndexForward = forward,
                ExclusiveStartKey = start,
                Limit = 200,
            }, cancellationToken);
            foreach (var item in page.Items ?? []) yield return ReadAudit(item);
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
    }

    private static Dictionary<string, AttributeValue> AuditItem(AuditRecord r)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [PkName] = S(AuditPk), [SkName] = S(EntrySk(r.Sequence)),
            ["seq"] = N(r.Sequence), ["at"] = N(r.At.UtcTicks), ["actorId"] = S(r.ActorId), ["actorName"] = S(r.ActorName),
            ["action"] = S(r.Action), ["prevHash"] = S(r.PreviousHash), ["hash"] = S(r.Hash),
        };
        void Opt(string name, string? value) { if (value is not null) item[name] = S(value); }
        Opt("aggregateType", r.AggregateType);
        Opt("aggregateId", r.AggregateId);
        Opt("before", r.Before);
        Opt("after", r.After);
        Opt("requestId", r.RequestId);
        Opt("details", r.DetailsJson);
        return item;
    }

    private static AuditRecord ReadAudit(Dictionary<string, AttributeValue> item) => new()
    {
        Sequence = long.Parse(item["seq"].N, CultureInfo.InvariantCulture),
        At = Ticks(item["at"]),
        ActorId = item["actorId"].S,
        ActorName = item["actorName"].S,
        Action = item["action"].S,
        AggregateType = Opt(item, "aggregateType"),
        AggregateId = Opt(item, "aggregateId"),
        Before = Opt(item, "before"),
        After = Opt(item, "after"),
        RequestId = Opt(item, "requestId"),
        DetailsJson = Opt(item, "details"),
        PreviousHash = item["prevHash"].S,
        Hash = item["hash"].S,
    };

    // ---------------------------------------------------------------- timers

    public async Task<IReadOnlyList<TimerRecord>> ClaimDueTimersAsync(DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await RollForwardAsync(cancellationToken);
        var page = await client.QueryAsync(new QueryRequest
        {
            TableName = table,
            IndexName = TimerIndex,
            KeyConditionExpression = "gsi1pk = :pk AND gsi1sk <= :upto",
            ExpressionAttributeValues = new() { [":pk"] = S(TimersGsiPk), [":upto"] = S($"{now.UtcTicks:D20}#~") },
            Limit = max * 2,
        }, cancellationToken);

        var claimed = new List<TimerRecord>();
        foreach (var candidate in page.Items ?? [])
        {
            if (claimed.Count >= max) break;
            try
            {
                var updated = await client.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = table,
                    Key = TimerKey(candidate["timerId"].S),
                    UpdateExpression = "SET leaseOwner = :owner, leaseUntil = :until",
                    ConditionExpression = "#token = :token AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)",
                    ExpressionAttributeNames = new() { ["#token"] = "token" },
                    ExpressionAttributeValues = new()
                    {
                        [":owner"] = S(owner), [":until"] = N((now + lease).UtcTicks), [":token"] = candidate["token"], [":now"] = N(now.UtcTicks),
                    },
                    ReturnValues = ReturnValue.ALL_NEW,
                }, cancellationToken);
                claimed.Add(ReadTimer(updated.Attributes));
            }
            catch (ConditionalCheckFailedException)
            {
                // Leased by another instance, or replaced/removed since the index was read.
            }
        }
        return claimed;
    }

    public Task RemoveTimerAsync(string timerId, string token, CancellationToken cancellationToken) =>
        IgnoreConditionFailure(client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = table, Key = TimerKey(timerId), ConditionExpression = "#token = :token",
            ExpressionAttributeNames = new() { ["#token"] = "token" }, ExpressionAttributeValues = new() { [":token"] = S(token) },
        }, cancellationToken));

    public async Task<DateTimeOffset?> NextTimerDueAsync(CancellationToken cancellationToken)
    {
        var page = await client.QueryAsync(new QueryRequest
        {
            TableName = table, IndexName = TimerIndex, KeyConditionExpression = "gsi1pk = :pk",
            ExpressionAttributeValues = new() { [":pk"] = S(TimersGsiPk) }, Limit = 1,
        }, cancellationToken);
        return page.Items is { Count: > 0 } items ? Ticks(items[0]["dueAt"]) : null;
    }

    private static Dictionary<string, AttributeValue> TimerKey(string id) =>
        new() { [PkName] = S($"TIMER#{id}"), [SkName] = S("TIMER") };

    private static TimerRecord ReadTimer(Dictionary<string, AttributeValue> item) => new(
        item["timerId"].S, item["aggregateType"].S, item["aggregateId"].S, item["trigger"].S, Opt(item, "expectation"),
        Ticks(item["dueAt"]), item["token"].S, Opt(item, "leaseOwner"), item.TryGetValue("leaseUntil", out var until) ? Ticks(until) : null);

    // ---------------------------------------------------------------- outbox

    public async Task<IReadOnlyList<OutboxMessage>> ClaimOutboxAsync(DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await RollForwardAsync(cancellationToken);
        var heads = new Dictionary<string, Dictionary<string, AttributeValue>>(StringComparer.Ordinal);
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.QueryAsync(new QueryRequest
            {
                TableName = table, ConsistentRead = true, KeyConditionExpression = "pk = :pk",
                ExpressionAttributeValues = new() { [":pk"] = S(OutboxPk) }, ExclusiveStartKey = start,
            }, cancellationToken);
            foreach (var item in page.Items ?? []) heads.TryAdd(item["channel"].S, item);
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);

        var claimed = new List<OutboxMessage>();
        foreach (var (channel, head) in heads.OrderBy(h => h.Value[SkName].S, StringComparer.Ordinal).Select(h => (h.Key, h.Value)))
        {
            if (claimed.Count >= max) break;
            var pacing = await GetAsync($"CHANNEL#{channel}", "CHANNEL", cancellationToken);
            if (pacing is not null && Ticks(pacing["notBefore"]) > now) continue;
            try
            {
                var updated = await client.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = table,
                    Key = new() { [PkName] = head[PkName], [SkName] = head[SkName] },
                    UpdateExpression = "SET leaseOwner = :owner, leaseUntil = :until ADD attempts :one",
                    ConditionExpression = "attribute_exists(pk) AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)",
                    ExpressionAttributeValues = new() { [":owner"] = S(owner), [":until"] = N((now + lease).UtcTicks), [":now"] = N(now.UtcTicks), [":one"] = N(1) },
                    ReturnValues = ReturnValue.ALL_NEW,
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

    private static OutboxMessage ReadOutbox(Dictionary<string, AttributeValue> item) => new()
    {
        Id = item["id"].S,
        Sequence = long.Parse(item["seq"].N, CultureInfo.InvariantCulture),
        Key = item["key"].S,
        Channel = item["channel"].S,
        Text = item["text"].S,
        ContentJson = Opt(item, "blocks"),
        ThreadUnderKey = Opt(item, "threadKey"),
        UpdateKey = Opt(item, "updateKey"),
        CreatedAt = Ticks(item["createdAt"]),
        Attempts = int.Parse(item["attempts"].N, CultureInfo.InvariantCulture),
        LeaseOwner = Opt(item, "leaseOwner"),
        LeaseUntil = item.TryGetValue("leaseUntil", out var until) ? Ticks(until) : null,
    };

    public async Task<SentMessage?> FindSentAsync(string key, CancellationToken cancellationToken)
    {
        var item = await GetAsync($"MSG#{key}", "MSG", cancellationToken);
        return item is null ? null : new SentMessage(key, item["messageId"].S, item["channel"].S, item["ts"].S, Ticks(item["sentAt"]));
    }

    public async Task CompleteOutboxAsync(OutboxMessage message, SentMessage sent, DateTimeOffset channelNextAt, CancellationToken cancellationToken)
    {
        // Order matters: the delivery record first (it is what stops a second post), then pacing, then the queue item.
        await client.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new()
            {
                [PkName] = S($"MSG#{sent.Key}"), [SkName] = S("MSG"), ["messageId"] = S(sent.MessageId),
                ["channel"] = S(sent.Channel), ["ts"] = S(sent.Ts), ["sentAt"] = N(sent.SentAt.UtcTicks),
            },
        }, cancellationToken);
        await PaceChannelAsync(message.Channel, channelNextAt, cancellationToken);
        await client.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = OutboxKey(message.Sequence) }, cancellationToken);
    }

    public async Task DeferOutboxAsync(OutboxMessage message, DateTimeOffset channelNextAt, string error, CancellationToken cancellationToken)
    {
        await PaceChannelAsync(message.Channel, channelNextAt, cancellationToken);
        await IgnoreConditionFailure(client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table, Key = OutboxKey(message.Sequence),
            UpdateExpression = "REMOVE leaseOwner, leaseUntil SET lastError = :e",
            ConditionExpression = "leaseOwner = :owner",
            ExpressionAttributeValues = new() { [":e"] = S(error), [":owner"] = S(message.LeaseOwner ?? "") },
        }, cancellationToken));
    }

    public async Task FailOutboxAsync(OutboxMessage message, string error, CancellationToken cancellationToken)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [PkName] = S(DeadLetterPk), [SkName] = S(OutboxSk(message.Sequence)), ["id"] = S(message.Id),
            ["channel"] = S(message.Channel), ["text"] = S(message.Text), ["error"] = S(error),
        };
        await client.PutItemAsync(new PutItemRequest { TableName = table, Item = item }, cancellationToken);
        await client.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = OutboxKey(message.Sequence) }, cancellationToken);
    }

    public async Task<int> CountPendingOutboxAsync(CancellationToken cancellationToken)
    {
        await RollForwardAsync(cancellationToken);
        var total = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.QueryAsync(new QueryRequest
            {
                TableName = table, ConsistentRead = true, KeyConditionExpression = "pk = :pk", Select = Select.COUNT,
                ExpressionAttributeValues = new() { [":pk"] = S(OutboxPk) }, ExclusiveStartKey = start,
            }, cancellationToken);
            total += page.Count ?? 0;
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
        return total;
    }

    private Task PaceChannelAsync(string channel, DateTimeOffset notBefore, CancellationToken cancellationToken) =>
        IgnoreConditionFailure(client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { [PkName] = S($"CHANNEL#{channel}"), [SkName] = S("CHANNEL") },
            UpdateExpression = "SET notBefore = :nb",
            ConditionExpression = "attribute_not_exists(notBefore) OR notBefore < :nb",
            ExpressionAttributeValues = new() { [":nb"] = N(notBefore.UtcTicks) },
        }, cancellationToken));

    private static Dictionary<string, AttributeValue> OutboxKey(long sequence) =>
        new() { [PkName] = S(OutboxPk), [SkName] = S(OutboxSk(sequence)) };

    // ---------------------------------------------------------------- idempotency

    public async Task<IdempotencyClaim> ClaimAsync(string key, TimeSpan retention, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = table,
                Item = new()
                {
                    [PkName] = S($"IDEM#{key}"), [SkName] = S("IDEM"), ["claimedAt"] = N(now.UtcTicks),
                    ["expiresAt"] = N((now + retention).UtcTicks), [TtlAttribute] = N((now + retention).ToUnixTimeSeconds()),
                },
                ConditionExpression = "attribute_not_exists(pk) OR expiresAt <= :now OR (attribute_not_exists(outcome) AND claimedAt <= :abandoned)",
                ExpressionAttributeValues = new()
                {
                    [":now"] = N(now.UtcTicks), [":abandoned"] = N((now - Sqlite.SqliteWorkflowStore.AbandonedClaimAfter).UtcTicks),
                },
            }, cancellationToken);
            return IdempotencyClaim.First;
        }
        catch (ConditionalCheckFailedException)
        {
            var existing = await GetAsync($"IDEM#{key}", "IDEM", cancellationToken);
            return new IdempotencyClaim(false, existing is null ? null : Opt(existing, "outcome"));
        }
    }

    public Task CompleteAsync(string key, string outcome, CancellationToken cancellationToken) =>
        WriteOutcomeAsync(key, outcome, time.GetUtcNow() + TimeSpan.FromDays(1), cancellationToken);

    private Task WriteOutcomeAsync(string key, string outcome, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { [PkName] = S($"IDEM#{key}"), [SkName] = S("IDEM") },
            UpdateExpression = "SET outcome = :o, expiresAt = :exp, #ttl = :ttl, claimedAt = if_not_exists(claimedAt, :now)",
            ExpressionAttributeNames = new() { ["#ttl"] = TtlAttribute },
            ExpressionAttributeValues = new()
            {
                [":o"] = S(outcome), [":exp"] = N(expiresAt.UtcTicks), [":ttl"] = N(expiresAt.ToUnixTimeSeconds()), [":now"] = N(time.GetUtcNow().UtcTicks),
            },
        }, cancellationToken);

    // ---------------------------------------------------------------- helpers

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(string pk, string sk, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = table, ConsistentRead = true, Key = new() { [PkName] = S(pk), [SkName] = S(sk) },
        }, cancellationToken);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private static async Task IgnoreConditionFailure(Task task)
    {
        try { await task; }
        catch (ConditionalCheckFailedException) { }
    }

    private static string AggregatePk(string type, string id) => $"AGG#{type}#{id}";
    private static string EntrySk(long seq) => $"{EntryPrefix}{seq:D12}";
    private static string OutboxSk(long seq) => $"{seq:D18}";
    private static AttributeValue S(string value) => new() { S = value };
    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
    private static DateTimeOffset Ticks(AttributeValue value) => new(long.Parse(value.N, CultureInfo.InvariantCulture), TimeSpan.Zero);
    private static string? Opt(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out var v) ? v.S : null;

    // ---------------------------------------------------------------- durable work queue
    // One item per work item (pk WORK#<id>); pending items are in the GSI under WORKQ#<queue>, ordered by due time,
    // and leave it when completed (the tombstone stays until its TTL, so the id still dedupes).

    private static Dictionary<string, AttributeValue> WorkKey(string id) => new() { [PkName] = S($"WORK#{id}"), [SkName] = S("WORK") };

    private static Dictionary<string, AttributeValue> WorkItemAttributes(WorkItem w)
    {
        var item = WorkKey(w.Id);
        item["id"] = S(w.Id);
        item["queue"] = S(w.Queue);
        item["payload"] = S(w.PayloadJson);
        item["createdAt"] = N(w.CreatedAt.UtcTicks);
        item["dueAt"] = N(w.DueAt.UtcTicks);
        item["attempts"] = N(0);
        item[TimerIndexPartitionKey] = S($"WORKQ#{w.Queue}");
        item[TimerIndexSortKey] = S($"{w.DueAt.UtcTicks:D20}#{w.Id}");
        if (w.AggregateType is not null) item["aggregateType"] = S(w.AggregateType);
        if (w.AggregateId is not null) item["aggregateId"] = S(w.AggregateId);
        return item;
    }

    private async Task<bool> PutWorkAsync(WorkItem w, CancellationToken cancellationToken)
    {
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = table, Item = WorkItemAttributes(w),
                ConditionExpression = "attribute_not_exists(pk) OR (attribute_exists(completedAt) AND forgetAfter <= :now)",
                ExpressionAttributeValues = new() { [":now"] = N(time.GetUtcNow().UtcTicks) },
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public Task<bool> EnqueueWorkAsync(WorkItem item, CancellationToken cancellationToken) => PutWorkAsync(item, cancellationToken);

    public async Task<IReadOnlyList<WorkItem>> ClaimWorkAsync(string queue, DateTimeOffset now, string owner, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await RollForwardAsync(cancellationToken);
        var page = await client.QueryAsync(new QueryRequest
        {
            TableName = table, IndexName = TimerIndex,
            KeyConditionExpression = "gsi1pk = :pk AND gsi1sk <= :upto",
            ExpressionAttributeValues = new() { [":pk"] = S($"WORKQ#{queue}"), [":upto"] = S($"{now.UtcTicks:D20}#~") },
            Limit = max * 2,
        }, cancellationToken);
        var claimed = new List<WorkItem>();
        foreach (var candidate in page.Items ?? [])
        {
            if (claimed.Count >= max) break;
            try
            {
                var updated = await client.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = table, Key = WorkKey(candidate["id"].S),
                    // A leased item sorts at its lease's end in the index, so the next query skips it until then.
                    UpdateExpression = "SET leaseOwner = :owner, leaseUntil = :until, gsi1sk = :sk ADD attempts :one",
                    ConditionExpression = "attribute_exists(pk) AND attribute_not_exists(completedAt) AND dueAt <= :now AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)",
                    ExpressionAttributeValues = new()
                    {
                        [":owner"] = S(owner), [":until"] = N((now + lease).UtcTicks), [":now"] = N(now.UtcTicks), [":one"] = N(1),
                        [":sk"] = S($"{(now + lease).UtcTicks:D20}#{candidate["id"].S}"),
                    },
                    ReturnValues = ReturnValue.ALL_NEW,
                }, cancellationToken);
                claimed.Add(ReadWork(updated.Attributes));
            }
            catch (ConditionalCheckFailedException)
            {
                // Taken by another instance, completed, or deferred since the index was read.
            }
        }
        return claimed;
    }

    public Task DeferWorkAsync(WorkItem item, DateTimeOffset dueAt, string error, CancellationToken cancellationToken) =>
        IgnoreConditionFailure(client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table, Key = WorkKey(item.Id),
            UpdateExpression = "REMOVE leaseOwner, leaseUntil SET dueAt = :due, lastError = :e, gsi1sk = :sk",
            ConditionExpression = "leaseOwner = :owner AND attribute_not_exists(completedAt)",
            ExpressionAttributeValues = new() { [":due"] = N(dueAt.UtcTicks), [":e"] = S(error), [":sk"] = S($"{dueAt.UtcTicks:D20}#{item.Id}"), [":owner"] = S(item.LeaseOwner ?? "") },
        }, cancellationToken));

    public Task CompleteWorkAsync(WorkCompletion completion, CancellationToken cancellationToken) => MarkWorkCompletedAsync(completion, cancellationToken);

    private Task MarkWorkCompletedAsync(WorkCompletion completion, CancellationToken cancellationToken) =>
        IgnoreConditionFailure(client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table, Key = WorkKey(completion.Id),
            UpdateExpression = "REMOVE gsi1pk, gsi1sk, leaseOwner, leaseUntil SET completedAt = if_not_exists(completedAt, :now), outcome = if_not_exists(outcome, :o), forgetAfter = :forget, #ttl = :ttl",
            ConditionExpression = "attribute_exists(pk)",
            ExpressionAttributeNames = new() { ["#ttl"] = TtlAttribute },
            ExpressionAttributeValues = new()
            {
                [":now"] = N(time.GetUtcNow().UtcTicks), [":o"] = S(completion.Outcome), [":forget"] = N(completion.ForgetAfter.UtcTicks),
                [":ttl"] = N(completion.ForgetAfter.ToUnixTimeSeconds()),
            },
        }, cancellationToken));

    public async Task<DateTimeOffset?> NextWorkDueAsync(string queue, CancellationToken cancellationToken)
    {
        var items = await ListPendingWorkAsync(queue, 1, cancellationToken);
        return items.Count > 0 ? items[0].DueAt : null;
    }

    public async Task<IReadOnlyList<WorkItem>> ListPendingWorkAsync(string queue, int max, CancellationToken cancellationToken)
    {
        await RollForwardAsync(cancellationToken);
        var page = await client.QueryAsync(new QueryRequest
        {
            TableName = table, IndexName = TimerIndex, KeyConditionExpression = "gsi1pk = :pk",
            ExpressionAttributeValues = new() { [":pk"] = S($"WORKQ#{queue}") }, Limit = max,
        }, cancellationToken);
        var list = new List<WorkItem>();
        // The index is eventually consistent: read each item itself.
        foreach (var entry in page.Items ?? [])
        {
            var item = await GetAsync($"WORK#{entry["id"].S}", "WORK", cancellationToken);
            if (item is not null && !item.ContainsKey("completedAt")) list.Add(ReadWork(item));
        }
        return list;
    }

    private static WorkItem ReadWork(Dictionary<string, AttributeValue> item) => new()
    {
        Id = item["id"].S,
        Queue = item["queue"].S,
        PayloadJson = item["payload"].S,
        AggregateType = Opt(item, "aggregateType"),
        AggregateId = Opt(item, "aggregateId"),
        CreatedAt = Ticks(item["createdAt"]),
        DueAt = Ticks(item["dueAt"]),
        Attempts = int.Parse(item["attempts"].N, CultureInfo.InvariantCulture),
        LastError = Opt(item, "lastError"),
        LeaseOwner = Opt(item, "leaseOwner"),
        LeaseUntil = item.TryGetValue("leaseUntil", out var until) ? Ticks(until) : null,
    };
}
