using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Bot.Workflows.Audit;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbTableDefinition;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>How each record is laid out as a DynamoDB item (keys, attributes) and read back. See deploy/dynamodb-table.md.</summary>
internal static partial class DynamoDbItems
{
    public const string AuditPk = "AUDIT";
    public const string EntryPrefix = "E#";
    public const string OutboxPk = "OUTBOX";
    public const string DeadLetterPk = "DEADLETTER";
    public const string TimersIndexPk = "TIMERS";
    private const string WorkQueueIndexPrefix = "WORKQ#";
    /// <summary>Due-index partitions of what was given up (dead letters), by the time it was given up.</summary>
    public const string DeadWorkIndexPk = "DEAD#WORK";
    public const string DeadTimersIndexPk = "DEAD#TIMER";

    // ---------------------------------------------------------------- keys

    public static Dictionary<string, AttributeValue> Key(string pk, string sk) => new() { [PkName] = S(pk), [SkName] = S(sk) };
    public static Dictionary<string, AttributeValue> AggregateKey(string type, string id) => Key($"AGG#{type}#{id}", "AGG");
    public static Dictionary<string, AttributeValue> EntryKey(long sequence) => Key(AuditPk, EntrySk(sequence));
    public static string EntrySk(long sequence) => $"{EntryPrefix}{sequence:D12}";
    public static Dictionary<string, AttributeValue> TimerKey(string id) => Key($"TIMER#{id}", "TIMER");
    public static Dictionary<string, AttributeValue> OutboxKey(long sequence) => Key(OutboxPk, OutboxSk(sequence));
    public static string OutboxSk(long sequence) => $"{sequence:D18}";
    public static Dictionary<string, AttributeValue> SentKey(string key) => Key($"MSG#{key}", "MSG");
    public static Dictionary<string, AttributeValue> ChannelKey(string channel) => Key($"CHANNEL#{channel}", "CHANNEL");
    public static Dictionary<string, AttributeValue> IdempotencyKey(string key) => Key($"IDEM#{key}", "IDEM");
    public static Dictionary<string, AttributeValue> WorkKey(string id) => Key($"WORK#{id}", "WORK");
    public static string WorkQueueIndexPk(string queue) => WorkQueueIndexPrefix + queue;

    /// <summary>The due index's sort key of a pending work item: oldest due first, then oldest created.</summary>
    public static string WorkIndexSk(DateTimeOffset dueAt, DateTimeOffset createdAt, string id) => $"{dueAt.UtcTicks:D20}#{createdAt.UtcTicks:D20}#{id}";

    /// <summary>The due index's sort key of a dead letter (a work item or a timer): oldest given up first.</summary>
    public static string DeadIndexSk(DateTimeOffset deadAt, string id) => $"{deadAt.UtcTicks:D20}#{id}";

    /// <summary>The due index's sort key of a timer: earliest due first.</summary>
    public static string TimerIndexSk(DateTimeOffset dueAt, string id) => $"{dueAt.UtcTicks:D20}#{id}";

    /// <summary>An index sort key bound that sorts after every key due at or before <paramref name="now"/>.</summary>
    public static string DueUpTo(DateTimeOffset now) => $"{now.UtcTicks:D20}#~";

    // ---------------------------------------------------------------- aggregates

    public static Dictionary<string, AttributeValue> AggregateItem(AggregateRecord a)
    {
        var item = AggregateKey(a.AggregateType, a.AggregateId);
        item["state"] = S(a.State);
        item["data"] = S(a.Data);
        item["version"] = N(a.Version);
        item["updatedAt"] = N(a.UpdatedAt.UtcTicks);
        item["aggregateType"] = S(a.AggregateType);
        item["aggregateId"] = S(a.AggregateId);
        // In the index under its type, newest change last: listings query it backwards.
        item[IndexPartitionKey] = S(AggregateIndexPk(a.AggregateType));
        item[IndexSortKey] = S($"{a.UpdatedAt.UtcTicks:D20}#{a.AggregateId}");
        return item;
    }

    public static string AggregateIndexPk(string type) => "AGGTYPE#" + type;

    public static AggregateRecord ReadAggregate(string type, string id, Dictionary<string, AttributeValue> item) =>
        new(type, id, item["state"].S, item["data"].S, Long(item["version"]), Ticks(item["updatedAt"]));

    // ---------------------------------------------------------------- audit

    /// <summary>The audit record's own fields, nothing else: what every audit read projects.</summary>
    public static readonly string[] AuditFields =
        ["seq", "at", "actorId", "actorName", "action", "aggregateType", "aggregateId", "before", "after", "requestId", "details", "prevHash", "hash"];

    public static Dictionary<string, AttributeValue> AuditItem(AuditRecord r)
    {
        var item = EntryKey(r.Sequence);
        item["seq"] = N(r.Sequence);
        item["at"] = N(r.At.UtcTicks);
        item["actorId"] = S(r.ActorId);
        item["actorName"] = S(r.ActorName);
        item["action"] = S(r.Action);
        item["prevHash"] = S(r.PreviousHash);
        item["hash"] = S(r.Hash);
        SetOptional(item, "aggregateType", r.AggregateType);
        SetOptional(item, "aggregateId", r.AggregateId);
        SetOptional(item, "before", r.Before);
        SetOptional(item, "after", r.After);
        SetOptional(item, "requestId", r.RequestId);
        SetOptional(item, "details", r.DetailsJson);
        return item;
    }

    public static AuditRecord ReadAudit(Dictionary<string, AttributeValue> item) => new()
    {
        Sequence = Long(item["seq"]),
        At = Ticks(item["at"]),
        ActorId = item["actorId"].S,
        ActorName = item["actorName"].S,
        Action = item["action"].S,
        AggregateType = Optional(item, "aggregateType"),
        AggregateId = Optional(item, "aggregateId"),
        Before = Optional(item, "before"),
        After = Optional(item, "after"),
        RequestId = Optional(item, "requestId"),
        DetailsJson = Optional(item, "details"),
        PreviousHash = item["prevHash"].S,
        Hash = item["hash"].S,
    };

    // ---------------------------------------------------------------- timers

    public static Dictionary<string, AttributeValue> TimerItem(TimerRecord t)
    {
        var item = TimerKey(t.Id);
        item["timerId"] = S(t.Id);
        item[IndexPartitionKey] = S(TimersIndexPk);
        item[IndexSortKey] = S(TimerIndexSk(t.DueAt, t.Id));
        item["aggregateType"] = S(t.AggregateType);
        item["aggregateId"] = S(t.AggregateId);
        item["trigger"] = S(t.Trigger);
        item["dueAt"] = N(t.DueAt.UtcTicks);
        item["token"] = S(t.Token);
        SetOptional(item, "expectation", t.Expectation);
        return item;
    }

    public static TimerRecord ReadTimer(Dictionary<string, AttributeValue> item) => new(
        item["timerId"].S, item["aggregateType"].S, item["aggregateId"].S, item["trigger"].S, Optional(item, "expectation"),
        Ticks(item["dueAt"]), item["token"].S, Optional(item, "leaseOwner"), OptionalTicks(item, "leaseUntil"))
    {
        LeaseToken = Optional(item, "leaseToken"),
        Attempts = item.TryGetValue("attempts", out var attempts) ? (int)Long(attempts) : 0,
        LastError = Optional(item, "lastError"),
        DeadAt = OptionalTicks(item, "deadAt"),
    };

    // ---------------------------------------------------------------- outbox

    public static Dictionary<string, AttributeValue> OutboxItem(OutboxMessage m)
    {
        var item = OutboxKey(m.Sequence);
        item["id"] = S(m.Id);
        item["seq"] = N(m.Sequence);
        item["key"] = S(m.Key);
        item["channel"] = S(m.Channel);
        item["text"] = S(m.Text);
        item["createdAt"] = N(m.CreatedAt.UtcTicks);
        item["attempts"] = N(0);
        SetOptional(item, "content", m.ContentJson);
        SetOptional(item, "threadKey", m.ThreadUnderKey);
        SetOptional(item, "updateKey", m.UpdateKey);
        if (m.Urgent) item["urgent"] = new AttributeValue { BOOL = true };
        return item;
    }

    public static OutboxMessage ReadOutbox(Dictionary<string, AttributeValue> item) => new()
    {
        Id = item["id"].S,
        Sequence = Long(item["seq"]),
        Key = item["key"].S,
        Channel = item["channel"].S,
        Text = item["text"].S,
        ContentJson = Optional(item, "content"),
        ThreadUnderKey = Optional(item, "threadKey"),
        UpdateKey = Optional(item, "updateKey"),
        Urgent = item.TryGetValue("urgent", out var urgent) && urgent.BOOL == true,
        CreatedAt = Ticks(item["createdAt"]),
        Attempts = (int)Long(item["attempts"]),
        LeaseOwner = Optional(item, "leaseOwner"),
        LeaseUntil = OptionalTicks(item, "leaseUntil"),
        LeaseToken = Optional(item, "leaseToken"),
    };

    public static Dictionary<string, AttributeValue> SentItem(SentMessage sent)
    {
        var item = SentKey(sent.Key);
        item["messageId"] = S(sent.MessageId);
        item["channel"] = S(sent.Channel);
        item["ts"] = S(sent.Ts);
        item["sentAt"] = N(sent.SentAt.UtcTicks);
        item[TtlAttribute] = N((sent.SentAt + SentMessage.Retention).ToUnixTimeSeconds());
        return item;
    }

    // ---------------------------------------------------------------- work queue

    /// <summary>A pending work item: listed in the due index of its queue until it is completed.</summary>
    public static Dictionary<string, AttributeValue> WorkItem(WorkItem w)
    {
        var item = WorkKey(w.Id);
        item["workId"] = S(w.Id);
        item["queue"] = S(w.Queue);
        item["payload"] = S(w.PayloadJson);
        item["createdAt"] = N(w.CreatedAt.UtcTicks);
        item["dueAt"] = N(w.DueAt.UtcTicks);
        item["attempts"] = N(0);
        item[IndexPartitionKey] = S(WorkQueueIndexPk(w.Queue));
        item[IndexSortKey] = S(WorkIndexSk(w.DueAt, w.CreatedAt, w.Id));
        SetOptional(item, "aggregateType", w.AggregateType);
        SetOptional(item, "aggregateId", w.AggregateId);
        return item;
    }

    /// <summary>A work item written already completed (added and finished by the same unit of work): a tombstone only.</summary>
    public static Dictionary<string, AttributeValue> CompletedWorkItem(WorkItem w, WorkCompletion done, DateTimeOffset now)
    {
        var item = WorkItem(w);
        item.Remove(IndexPartitionKey);
        item.Remove(IndexSortKey);
        item["completedAt"] = N(now.UtcTicks);
        item["outcome"] = S(done.Outcome);
        item["forgetAfter"] = N(done.ForgetAfter.UtcTicks);
        item[TtlAttribute] = N(done.ForgetAfter.ToUnixTimeSeconds());
        return item;
    }

    public static WorkItem ReadWork(Dictionary<string, AttributeValue> item) => new()
    {
        Id = item["workId"].S,
        Queue = item["queue"].S,
        PayloadJson = item["payload"].S,
        AggregateType = Optional(item, "aggregateType"),
        AggregateId = Optional(item, "aggregateId"),
        CreatedAt = Ticks(item["createdAt"]),
        DueAt = Ticks(item["dueAt"]),
        Attempts = (int)Long(item["attempts"]),
        LastError = Optional(item, "lastError"),
        LeaseOwner = Optional(item, "leaseOwner"),
        LeaseUntil = OptionalTicks(item, "leaseUntil"),
        LeaseToken = Optional(item, "leaseToken"),
        DeadAt = OptionalTicks(item, "deadAt"),
    };

    // ---------------------------------------------------------------- expressions and values

    /// <summary>
    /// The <c>ExpressionAttributeNames</c> of expressions that write every attribute as <c>#name</c> (many plain words,
    /// e.g. <c>ttl</c>, <c>token</c>, <c>data</c>, are reserved in DynamoDB expressions); null when there are none.
    /// </summary>
    public static Dictionary<string, string>? NamesIn(params string?[] expressions)
    {
        Dictionary<string, string>? names = null;
        foreach (var expression in expressions)
        {
            if (expression is null) continue;
            foreach (System.Text.RegularExpressions.Match m in AttributeName().Matches(expression))
                (names ??= new Dictionary<string, string>(StringComparer.Ordinal))[m.Value] = m.Value[1..];
        }
        return names;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"#[A-Za-z0-9_]+")]
    private static partial System.Text.RegularExpressions.Regex AttributeName();

    public static AttributeValue S(string value) => new() { S = value };
    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
    public static long Long(AttributeValue value) => long.Parse(value.N, CultureInfo.InvariantCulture);
    public static DateTimeOffset Ticks(AttributeValue value) => new(Long(value), TimeSpan.Zero);
    public static string? Optional(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out var v) ? v.S : null;
    public static DateTimeOffset? OptionalTicks(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out var v) ? Ticks(v) : null;

    private static void SetOptional(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (value is not null) item[name] = S(value);
    }
}
