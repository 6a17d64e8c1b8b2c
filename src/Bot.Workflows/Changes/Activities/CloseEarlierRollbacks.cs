using System.Text.Json;
using Bot.Workflows.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Storage;

namespace Bot.Workflows.Changes.Activities;

/// <summary>After a change moved an alias: the earlier deploys of that alias lose their one-click rollback (it would undo this one).</summary>
public sealed record CloseEarlierRollbacks(string Function, string Alias, string ChangeId, string Version) : Activity
{
    public override string Describe() => $"close the one-click rollback of earlier changes of {Function}:{Alias}";
}

/// <summary>
/// Finds the changes of the same alias that still offer a one-click rollback and tells each it is superseded (their cards
/// lose the button). Idempotent: a change already closed refuses the second notice.
/// </summary>
public sealed class CloseEarlierRollbacksHandler(IAggregateStore store, WorkflowEngine engine, TimeProvider time) : ActivityHandler<CloseEarlierRollbacks>
{
    /// <summary>Longer than any configurable rollback window.</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(31);
    public const int MaxChanges = 500;

    protected override Task<LiveCheck> CheckAsync(CloseEarlierRollbacks activity, CancellationToken cancellationToken) => Task.FromResult(LiveCheck.Go);

    protected override async Task<ActivityResult> RunAsync(CloseEarlierRollbacks a, CancellationToken cancellationToken)
    {
        var records = await store.ListAggregatesAsync(Change.Type, time.GetUtcNow() - LookBack, MaxChanges, cancellationToken);
        var closed = new List<string>();
        foreach (var change in records.Select(r => (Change)Change.Definition.Restore(r)))
        {
            if (change.Id == a.ChangeId || change.Data.Spec.Function != a.Function || change.Data.Spec.Alias != a.Alias || change.Data.RollbackUntil is null) continue;
            if (change.CurrentState is not (ChangeState.Completed or ChangeState.NotVerified)) continue;
            var outcome = await engine.FireAsync(WorkflowTrigger.For(Change.Type, change.Id, ChangeTrigger.Superseded, WorkflowActor.Bot) with
            {
                Source = TriggerSource.Automatic,
                IdempotencyKey = $"superseded:{change.Id}:{a.ChangeId}",
                RequestId = $"superseded-by:{a.ChangeId}",
                ArgumentsJson = JsonSerializer.Serialize(new { change = a.ChangeId, version = a.Version }),
            }, cancellationToken);
            if (outcome.IsTransitioned) closed.Add(change.Id);
        }
        return new ActivityResult(closed.Count == 0 ? "no earlier change offered a one-click rollback" : $"closed the one-click rollback of {string.Join(", ", closed)}");
    }
}
