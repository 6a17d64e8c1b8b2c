using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Bot.Workflows.Audit;
using Microsoft.Extensions.Logging;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbItems;
using Role = Bot.Workflows.Storage.DynamoDb.DynamoDbCommitPlan.Role;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>Sending a commit's transaction: resends while an earlier send is in flight, and on a cancellation works out which unit of work lost (a lease, a version) and retries the others.</summary>
public sealed partial class DynamoDbWorkflowStore
{
    /// <summary>Sends the transaction; while an earlier send of the same token is still in flight, waits and sends it again.</summary>
    private async Task TransactAsync(TransactWriteItemsRequest request)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.TransactWriteItemsAsync(request, CancellationToken.None);
                return;
            }
            catch (TransactionInProgressException) when (attempt < 20)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), CancellationToken.None); // the first send is still running
            }
        }
    }

    /// <summary>
    /// After a cancelled transaction: a unit whose aggregate moved on gets a conflict; the others are sent again, those whose
    /// conditional writes failed after reading the table anew, all of them after re-reading the chain's last entry.
    /// </summary>
    private async Task RetryOrRefuseAsync(List<(PendingCommit Pending, int First, int Count)> batch, List<(TransactWriteItem Item, Role Role)> actions, TransactionCanceledException e)
    {
        var reasons = e.CancellationReasons ?? [];
        string Reason(int i) => i < reasons.Count ? reasons[i].Code ?? "None" : "None";
        var retry = new List<PendingCommit>();
        var contended = false;
        foreach (var (p, first, count) in batch)
        {
            var failed = Enumerable.Range(first, count).Where(i => Reason(i) != "None").Select(i => (Role: actions[i].Role, Code: Reason(i))).ToList();
            if (failed.Any(f => f is { Role: Role.Aggregate, Code: "ConditionalCheckFailed" }))
            {
                var a = p.Work.Aggregate!;
                var stored = Enumerable.Range(first, count).Where(i => actions[i].Role == Role.Aggregate).Select(i => i < reasons.Count ? reasons[i].Item : null).FirstOrDefault();
                if (stored is not null && stored.TryGetValue("version", out var version)) SawVersion(a.AggregateType, a.AggregateId, Long(version));
                p.Done.TrySetException(Conflict(p.Work));
                continue;
            }
            if (LostLease(p.Work, Enumerable.Range(first, count).Where(i => actions[i].Role == Role.Lease && Reason(i) == "ConditionalCheckFailed")
                    .Select(i => (KeyOf(actions[i].Item), i < reasons.Count ? reasons[i].Item : null))) is { } lost)
            {
                p.Done.TrySetException(lost);
                continue;
            }
            if (failed.Any(f => f is { Role: Role.Claim, Code: "ConditionalCheckFailed" }))
            {
                p.Done.TrySetException(new AlreadyClaimedException(p.Work.Claim!.Key, null));
                continue;
            }
            if (failed.Any(f => f.Code == "ValidationError"))
            {
                if (batch.Count == 1)
                {
                    p.Done.TrySetException(new InvalidOperationException($"DynamoDB refused the unit of work: {e.Message}", e));
                    continue;
                }
                p.Alone = true;
            }
            if (++p.Attempts >= MaxCommitAttempts)
            {
                p.Done.TrySetException(new ConcurrencyConflictException($"The audit chain stayed too busy for {MaxCommitAttempts} attempts; try again."));
                continue;
            }
            if (failed.Any(f => f is { Role: Role.Checked or Role.Lease, Code: "ConditionalCheckFailed" }))
            {
                try { p.Reads = await ReadForCommitAsync(p.Work, CancellationToken.None); }
                catch (Exception readFailure) { p.Done.TrySetException(readFailure); continue; }
            }
            contended |= failed.Any(f => f.Code is "TransactionConflict" or "ThrottlingError" or "ProvisionedThroughputExceeded");
            retry.Add(p);
        }
        _chainEnd = null;
        Requeue(retry);
        if (contended) await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10)), CancellationToken.None); // let the other writer finish
    }

    /// <summary>
    /// When a fenced write failed because its item is still there (the same setting of the timer, the work item) under another
    /// claim: the lease was lost. Null when the item is gone or replaced (then the unit is built again from a fresh read).
    /// </summary>
    private static LeaseLostException? LostLease(UnitOfWork work, IEnumerable<(string Pk, Dictionary<string, AttributeValue>? Stored)> failed)
    {
        foreach (var (pk, stored) in failed)
        {
            // The fired timer's fence has no second reading: its setting is gone, replaced or held by another claim.
            if (pk.StartsWith("TIMER#", StringComparison.Ordinal) && work.FiredTimer is { } timer)
                return new LeaseLostException($"Timer {timer.Id} is no longer held by this claim ({timer.LeaseOwner}); it was not fired here.");
            // A completed work item that is still there was finished or taken by another claim; one that is gone was forgotten.
            if (pk.StartsWith("WORK#", StringComparison.Ordinal) && stored is { Count: > 0 } && work.CompleteWork is { } done)
                return new LeaseLostException($"Work item {done.Id} is no longer held by this claim ({done.Lease?.Owner}); its result was not recorded.");
        }
        return null;
    }

    private static string KeyOf(TransactWriteItem action) =>
        (action.Put?.Item ?? action.Delete?.Key ?? action.Update?.Key)?[DynamoDbTableDefinition.PkName].S ?? "";
}
