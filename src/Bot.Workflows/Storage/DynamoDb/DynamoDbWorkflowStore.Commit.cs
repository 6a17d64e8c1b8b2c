using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Bot.Workflows.Audit;
using Microsoft.Extensions.Logging;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbItems;
using Role = Bot.Workflows.Storage.DynamoDb.DynamoDbCommitPlan.Role;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>Commits: units of work queue up in this store object and go out as TransactWriteItems, one at a time.</summary>
public sealed partial class DynamoDbWorkflowStore
{
    /// <summary>How many transactions a unit of work may lose to other writers before it gives up as busy.</summary>
    private const int MaxCommitAttempts = 100;

    /// <summary>A sequence number as long as any will be: the limit check sizes the audit entry with it.</summary>
    private const long ProvisionalSequence = 999_999_999_999;

    private sealed class PendingCommit(UnitOfWork work, CommitReads reads)
    {
        public UnitOfWork Work => work;
        public CommitReads Reads { get; set; } = reads;
        public int Attempts { get; set; }
        /// <summary>Goes out in a transaction of its own (after DynamoDB refused a transaction it shared).</summary>
        public bool Alone { get; set; }
        public TaskCompletionSource<AuditRecord> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Lock _queueLock = new();
    private readonly List<PendingCommit> _queue = [];
    private bool _committing;
    /// <summary>The chain's last entry as this store last saw it (only the committing loop reads or writes it).</summary>
    private (long Sequence, string Hash)? _chainEnd;
    /// <summary>
    /// Aggregate versions this store saw stored (only the committing loop uses it): a queued unit of work expecting an
    /// older version is a conflict without asking DynamoDB, e.g. the 99 losers of 100 concurrent clicks.
    /// </summary>
    private readonly Dictionary<(string Type, string Id), long> _seenVersions = [];

    public async Task<AuditRecord> CommitAsync(UnitOfWork work, CancellationToken cancellationToken)
    {
        var reads = CommitReads.Optimistic(work);
        DynamoDbCommitPlan.Build(table, work, AuditChain.Seal(work.Audit, ProvisionalSequence, AuditChain.Genesis), reads, time.GetUtcNow());
        var pending = new PendingCommit(work, reads);
        bool start;
        lock (_queueLock)
        {
            _queue.Add(pending);
            start = !_committing;
            _committing = true;
        }
        if (start) _ = Task.Run(CommitQueuedAsync, CancellationToken.None);
        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>What the conditional writes of <paramref name="work"/> depend on, read after an optimistic guess failed: the fired timer's setting, which work ids are known.</summary>
    private async Task<CommitReads> ReadForCommitAsync(UnitOfWork work, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var fired = work.FiredTimer is { } t ? GetAsync(TimerKey(t.Id), cancellationToken, "#token") : Task.FromResult<Dictionary<string, AttributeValue>?>(null);
        var added = work.WorkToAdd.Select(w => w.Id).Distinct(StringComparer.Ordinal)
            .Select(async id => (Id: id, Item: await GetAsync(WorkKey(id), cancellationToken, "#pk, #forgetAfter")))
            .ToList();
        var completed = work.CompleteWork is { } c ? GetAsync(WorkKey(c.Id), cancellationToken, "#pk") : Task.FromResult<Dictionary<string, AttributeValue>?>(null);
        var known = await Task.WhenAll(added);
        var unknown = known.Where(k => k.Item is null || (k.Item.TryGetValue("forgetAfter", out var f) && Ticks(f) <= now)).Select(k => k.Id);
        return new CommitReads(Optional(await fired ?? [], "token"), unknown.ToHashSet(StringComparer.Ordinal), await completed is not null);
    }

    /// <summary>Sends queued units of work, as many per transaction as fit, until the queue is empty. Never throws.</summary>
    private async Task CommitQueuedAsync()
    {
        while (true)
        {
            List<PendingCommit> waiting;
            lock (_queueLock)
            {
                if (_queue.Count == 0)
                {
                    _committing = false;
                    return;
                }
                waiting = [.. _queue];
                _queue.Clear();
            }
            try
            {
                await CommitBatchAsync(waiting);
            }
            catch (Exception e)
            {
                foreach (var p in waiting) p.Done.TrySetException(e);
            }
        }
    }

    private void Requeue(IEnumerable<PendingCommit> pending)
    {
        lock (_queueLock) _queue.InsertRange(0, pending);
    }

    private async Task CommitBatchAsync(List<PendingCommit> waiting)
    {
        var (sequence, hash) = _chainEnd ??= await ReadChainEndAsync();
        var now = time.GetUtcNow();
        var batch = new List<(PendingCommit Pending, AuditRecord Audit, int First, int Count)>();
        var actions = new List<(TransactWriteItem Item, Role Role)>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        long bytes = 0;
        var left = new List<PendingCommit>();
        foreach (var p in waiting)
        {
            if (p.Done.Task.IsCompleted) continue;
            if (p.Work.Aggregate is { } a && _seenVersions.TryGetValue((a.AggregateType, a.AggregateId), out var seen) && seen > p.Work.ExpectedVersion)
            {
                p.Done.TrySetException(Conflict(p.Work));
                continue;
            }
            if (batch.Count > 0 && (p.Alone || batch[0].Pending.Alone))
            {
                left.Add(p);
                continue;
            }
            var audit = AuditChain.Seal(p.Work.Audit, sequence + 1, hash);
            DynamoDbCommitPlan plan;
            try
            {
                plan = DynamoDbCommitPlan.Build(table, p.Work, audit, p.Reads, now);
            }
            catch (StoreLimitExceededException e)
            {
                p.Done.TrySetException(e);
                continue;
            }
            if (batch.Count > 0 && (actions.Count + plan.Actions.Count > DynamoDbLimits.MaxTransactionActions
                || bytes + plan.Bytes > DynamoDbLimits.MaxTransactionBytes || plan.Keys.Overlaps(keys)))
            {
                left.Add(p);
                continue;
            }
            batch.Add((p, audit, actions.Count, plan.Actions.Count));
            actions.AddRange(plan.Actions);
            keys.UnionWith(plan.Keys);
            bytes += plan.Bytes;
            (sequence, hash) = (audit.Sequence, audit.Hash);
        }
        Requeue(left);
        if (batch.Count == 0) return;

        var request = new TransactWriteItemsRequest
        {
            TransactItems = actions.Select(a => a.Item).ToList(),
            // The same token on every resend of this request (the SDK's retries included): a commit that landed is not run again.
            ClientRequestToken = Guid.NewGuid().ToString(),
        };
        try
        {
            await TransactAsync(request);
        }
        catch (TransactionCanceledException e)
        {
            await RetryOrRefuseAsync(batch.Select(b => (b.Pending, b.First, b.Count)).ToList(), actions, e);
            return;
        }
        catch (AmazonDynamoDBException e) when (batch.Count > 1 && e.ErrorCode == "ValidationException")
        {
            // DynamoDB refused the request as a whole: find the unit of work it cannot take by sending each alone.
            _logger.LogWarning(e, "DynamoDB refused a transaction of {Count} units of work; committing them one by one", batch.Count);
            foreach (var b in batch) b.Pending.Alone = true;
            Requeue(batch.Select(b => b.Pending));
            return;
        }
        catch (Exception e)
        {
            // Unknown outcome (e.g. the network failed after the SDK's retries): the next commit re-reads the chain.
            _chainEnd = null;
            foreach (var b in batch) b.Pending.Done.TrySetException(e);
            return;
        }
        _chainEnd = (sequence, hash);
        foreach (var b in batch)
        {
            if (b.Pending.Work.Aggregate is { } a) SawVersion(a.AggregateType, a.AggregateId, a.Version);
            b.Pending.Done.TrySetResult(b.Audit);
        }
    }

    private void SawVersion(string type, string id, long version)
    {
        if (_seenVersions.Count > 10_000) _seenVersions.Clear();
        if (!_seenVersions.TryGetValue((type, id), out var seen) || seen < version) _seenVersions[(type, id)] = version;
    }

    private static ConcurrencyConflictException Conflict(UnitOfWork work) =>
        new($"{work.Aggregate!.AggregateType}/{work.Aggregate.AggregateId} is no longer at version {work.ExpectedVersion}.");

    /// <summary>The chain's last entry (sequence and hash), or the genesis when it is empty.</summary>
    private async Task<(long Sequence, string Hash)> ReadChainEndAsync()
    {
        var page = await client.QueryAsync(new QueryRequest
        {
            TableName = table,
            ConsistentRead = true,
            KeyConditionExpression = "#pk = :pk AND begins_with(#sk, :prefix)",
            ProjectionExpression = "#seq, #hash",
            ExpressionAttributeNames = NamesIn("#pk #sk #seq #hash"),
            ExpressionAttributeValues = new() { [":pk"] = S(AuditPk), [":prefix"] = S(EntryPrefix) },
            ScanIndexForward = false,
            Limit = 1,
        }, CancellationToken.None);
        return page.Items is { Count: > 0 } items ? (Long(items[0]["seq"]), items[0]["hash"].S) : (0, AuditChain.Genesis);
    }
}
