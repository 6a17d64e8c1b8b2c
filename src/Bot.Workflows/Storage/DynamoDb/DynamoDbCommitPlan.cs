using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Bot.Workflows.Audit;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbItems;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbTableDefinition;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>What a unit of work takes the table to hold (the writes that depend on it are conditioned on it).</summary>
/// <param name="FiredTimerToken">The token now stored under the fired timer's id (null: no such timer).</param>
/// <param name="WorkToWrite">The ids of <see cref="UnitOfWork.WorkToAdd"/> the table does not know (absent, or a tombstone past its retention).</param>
/// <param name="CompletedWorkExists">Whether the item <see cref="UnitOfWork.CompleteWork"/> names exists.</param>
internal sealed record CommitReads(string? FiredTimerToken, IReadOnlySet<string> WorkToWrite, bool CompletedWorkExists)
{
    /// <summary>
    /// What is almost always true, assumed without reading: the fired timer is still that setting (or gone), the work ids
    /// are new, the completed item exists. A transaction whose assumption failed is cancelled and built again from a read
    /// of the table. It is also the largest transaction the unit of work can become (for the limit check).
    /// </summary>
    public static CommitReads Optimistic(UnitOfWork work) =>
        new(work.FiredTimer?.Token, work.WorkToAdd.Select(w => w.Id).ToHashSet(StringComparer.Ordinal), work.CompleteWork is not null);
}

/// <summary>
/// One unit of work as the actions of a <c>TransactWriteItems</c>: the audit entry (the chain's next sequence, which must
/// not exist yet), the aggregate (its version check), outbox messages, timers, work items and the idempotency outcome.
/// Each action has a <see cref="Role"/>, so a cancelled transaction's reasons say what failed.
/// </summary>
internal sealed class DynamoDbCommitPlan
{
    public enum Role
    {
        /// <summary>The audit entry: fails when another writer took this sequence number.</summary>
        Entry,
        /// <summary>The aggregate: fails when its version moved on (a concurrency conflict).</summary>
        Aggregate,
        /// <summary>A write conditioned on what <see cref="CommitReads"/> found: fails when that changed since.</summary>
        Checked,
        /// <summary>The unit's claim of an outside key (<see cref="UnitOfWork.Claim"/>): fails when the key was claimed before.</summary>
        Claim,
        /// <summary>
        /// A write fenced by a claim (the fired timer, the completed work item): fails when that claim no longer holds its item
        /// (<see cref="LeaseLostException"/>) or, when the item is gone or replaced, like <see cref="Checked"/>.
        /// </summary>
        Lease,
        /// <summary>Unconditional.</summary>
        Plain,
    }

    private DynamoDbCommitPlan(List<(TransactWriteItem Item, Role Role)> actions, HashSet<string> keys, long bytes)
    {
        Actions = actions;
        Keys = keys;
        Bytes = bytes;
    }

    public IReadOnlyList<(TransactWriteItem Item, Role Role)> Actions { get; }
    /// <summary>Every item the plan writes (<c>pk</c> and <c>sk</c>): a transaction may touch an item only once.</summary>
    public IReadOnlySet<string> Keys { get; }
    /// <summary>The size of the items written, as DynamoDB counts it against the 4 MB of a transaction.</summary>
    public long Bytes { get; }

    /// <summary>Builds the actions; throws <see cref="StoreLimitExceededException"/> when DynamoDB could not take them.</summary>
    public static DynamoDbCommitPlan Build(string table, UnitOfWork work, AuditRecord audit, CommitReads reads, DateTimeOffset now)
    {
        var b = new Builder(table);
        b.Put(AuditItem(audit), $"Audit record {audit.Sequence}", Role.Entry, "attribute_not_exists(#pk)");

        if (work.Aggregate is { } a)
        {
            b.Put(AggregateItem(a), $"{a.AggregateType}/{a.AggregateId}", Role.Aggregate,
                work.ExpectedVersion == 0 ? "attribute_not_exists(#pk)" : "#version = :expected",
                work.ExpectedVersion == 0 ? null : new() { [":expected"] = N(work.ExpectedVersion) });
            b.Actions[^1].Item.Put.ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD; // the version it has instead
        }

        for (var i = 0; i < work.Messages.Count; i++)
        {
            var m = work.Messages[i] with { Sequence = audit.Sequence * 1000 + i };
            b.Put(OutboxItem(m), $"Outbox message {m.Key} to {m.Channel}", Role.Plain);
        }

        AddTimers(b, work, reads);
        AddWork(b, work, reads, now);

        if (work.Idempotency is { } idem)
        {
            b.Update(IdempotencyKey(idem.Key), $"Idempotency key {idem.Key}", Role.Plain,
                "SET #outcome = :o, #expiresAt = :exp, #ttl = :ttl, #claimedAt = if_not_exists(#claimedAt, :now)", null,
                new() { [":o"] = S(idem.ToJson(audit.Sequence)), [":exp"] = N(idem.ExpiresAt.UtcTicks), [":ttl"] = N(idem.ExpiresAt.ToUnixTimeSeconds()), [":now"] = N(now.UtcTicks) });
        }

        if (work.Claim is { } claim)
        {
            var item = IdempotencyKey(claim.Key);
            item["claimedAt"] = N(now.UtcTicks);
            item["expiresAt"] = N((now + claim.Retention).UtcTicks);
            item[TtlAttribute] = N((now + claim.Retention).ToUnixTimeSeconds());
            item["outcome"] = S(claim.Outcome);
            b.Put(item, $"Idempotency key {claim.Key}", Role.Claim, DynamoDbWorkflowStore.ClaimCondition,
                new() { [":now"] = N(now.UtcTicks), [":abandoned"] = N((now - Sqlite.SqliteWorkflowStore.AbandonedClaimAfter).UtcTicks) });
        }

        DynamoDbLimits.CheckTransaction(b.Actions.Count, b.Bytes);
        return new DynamoDbCommitPlan(b.Actions, b.Keys, b.Bytes);
    }

    /// <summary>
    /// Per timer id one action (a transaction may touch an item once): a timer set (again) is put, a cancelled one deleted, the
    /// fired one deleted if still that setting. A fired timer with a claim fences its id's action: the setting must still be
    /// there and held by the claim, whatever the unit does with the id (a reminder that re-arms itself puts it again).
    /// </summary>
    private static void AddTimers(Builder b, UnitOfWork work, CommitReads reads)
    {
        var set = new Dictionary<string, TimerRecord>(StringComparer.Ordinal);
        foreach (var t in work.TimersToSet) set[t.Id] = t;
        var cancelled = work.TimersToCancel.Where(id => !set.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();

        var fenced = work.FiredTimer is { Lease: { } lease } claimed ? claimed : null;
        const string HeldSetting = "#token = :token AND " + DynamoDbWorkflowStore.HeldBy;
        Dictionary<string, AttributeValue>? Fence(string id) =>
            fenced is not null && string.Equals(fenced.Id, id, StringComparison.Ordinal)
                ? DynamoDbWorkflowStore.Held(fenced.Lease!, new() { [":token"] = S(fenced.Token) })
                : null;

        foreach (var t in set.Values)
        {
            if (Fence(t.Id) is { } values) b.Put(TimerItem(t), $"Timer {t.Id}", Role.Lease, HeldSetting, values);
            else b.Put(TimerItem(t), $"Timer {t.Id}", Role.Plain);
        }
        foreach (var id in cancelled)
        {
            if (Fence(id) is { } values) b.Delete(TimerKey(id), $"Timer {id}", Role.Lease, HeldSetting, values);
            else b.Delete(TimerKey(id), $"Timer {id}", Role.Plain);
        }

        if (fenced is not null)
        {
            if (!set.ContainsKey(fenced.Id) && !cancelled.Contains(fenced.Id, StringComparer.Ordinal))
                b.Delete(TimerKey(fenced.Id), $"Timer {fenced.Id}", Role.Lease, HeldSetting, Fence(fenced.Id));
        }
        else if (work.FiredTimer is { } fired && !set.ContainsKey(fired.Id) && !cancelled.Contains(fired.Id, StringComparer.Ordinal)
            && string.Equals(reads.FiredTimerToken, fired.Token, StringComparison.Ordinal))
        {
            b.Delete(TimerKey(fired.Id), $"Timer {fired.Id}", Role.Checked, "attribute_not_exists(#pk) OR #token = :token", new() { [":token"] = S(fired.Token) });
        }
    }

    /// <summary>New work items are written only when the table does not know their id; the completed one becomes a tombstone.</summary>
    private static void AddWork(Builder b, UnitOfWork work, CommitReads reads, DateTimeOffset now)
    {
        var done = work.CompleteWork;
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in work.WorkToAdd)
        {
            if (!reads.WorkToWrite.Contains(w.Id) || !written.Add(w.Id)) continue;
            var item = done is not null && done.Id == w.Id ? CompletedWorkItem(w, done, now) : WorkItem(w);
            b.Put(item, $"Work item {w.Id}", Role.Checked, "attribute_not_exists(#pk) OR #forgetAfter <= :now", new() { [":now"] = N(now.UtcTicks) });
        }

        if (done is not null && !written.Contains(done.Id) && reads.CompletedWorkExists)
        {
            if (done.Lease is { } lease)
            {
                b.Update(WorkKey(done.Id), $"Work item {done.Id}", Role.Lease, CompleteWorkUpdate, CompleteHeldWorkCondition,
                    DynamoDbWorkflowStore.Held(lease, CompleteWorkValues(done, now)));
                b.Actions[^1].Item.Update.ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD;
            }
            else
            {
                b.Update(WorkKey(done.Id), $"Work item {done.Id}", Role.Checked, CompleteWorkUpdate, "attribute_exists(#pk)", CompleteWorkValues(done, now));
            }
        }
    }

    /// <summary>Marks a work item completed (first outcome kept), out of the due index, forgotten after its retention.</summary>
    public const string CompleteWorkUpdate =
        "SET #completedAt = if_not_exists(#completedAt, :now), #outcome = if_not_exists(#outcome, :o), #forgetAfter = :forget, #ttl = :ttl " +
        $"REMOVE #leaseOwner, #leaseUntil, #leaseToken, #{IndexPartitionKey}, #{IndexSortKey}";

    /// <summary>A fenced completion's condition: the item is still held by the claim (<see cref="DynamoDbWorkflowStore.HeldBy"/>) and not completed.</summary>
    public const string CompleteHeldWorkCondition = "attribute_exists(#pk) AND attribute_not_exists(#completedAt) AND " + DynamoDbWorkflowStore.HeldBy;

    public static Dictionary<string, AttributeValue> CompleteWorkValues(WorkCompletion done, DateTimeOffset now) => new()
    {
        [":now"] = N(now.UtcTicks), [":o"] = S(done.Outcome), [":forget"] = N(done.ForgetAfter.UtcTicks), [":ttl"] = N(done.ForgetAfter.ToUnixTimeSeconds()),
    };

    private sealed class Builder(string table)
    {
        public List<(TransactWriteItem Item, Role Role)> Actions { get; } = [];
        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
        public long Bytes { get; private set; }

        public void Put(Dictionary<string, AttributeValue> item, string what, Role role, string? condition = null, Dictionary<string, AttributeValue>? values = null)
        {
            Add(item, what, role, new TransactWriteItem
            {
                Put = new Put { TableName = table, Item = item, ConditionExpression = condition, ExpressionAttributeNames = NamesIn(condition), ExpressionAttributeValues = values },
            });
        }

        public void Delete(Dictionary<string, AttributeValue> key, string what, Role role, string? condition = null, Dictionary<string, AttributeValue>? values = null)
        {
            Add(key, what, role, new TransactWriteItem
            {
                Delete = new Delete { TableName = table, Key = key, ConditionExpression = condition, ExpressionAttributeNames = NamesIn(condition), ExpressionAttributeValues = values },
            });
        }

        public void Update(Dictionary<string, AttributeValue> key, string what, Role role, string update, string? condition, Dictionary<string, AttributeValue> values)
        {
            // What the update writes, at most: the key and every value it sets.
            var written = new Dictionary<string, AttributeValue>(key);
            foreach (var (name, value) in values) written[name] = value;
            Add(written, what, role, new TransactWriteItem
            {
                Update = new Update
                {
                    TableName = table, Key = key, UpdateExpression = update, ConditionExpression = condition,
                    ExpressionAttributeNames = NamesIn(update, condition), ExpressionAttributeValues = values,
                },
            });
        }

        private void Add(Dictionary<string, AttributeValue> item, string what, Role role, TransactWriteItem action)
        {
            Bytes += DynamoDbLimits.Check(item, what);
            Keys.Add(item[PkName].S + "\n" + item[SkName].S);
            Actions.Add((action, role));
        }
    }
}
