using System.Text.Json;
using Bot.Workflows.Audit;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Workflows.Engine;

/// <summary>
/// The unit of work per trigger: load → fire → save with an optimistic version check. The save writes
/// the new state, the audit record, the outbox messages and the timer changes in one atomic write; a
/// conflicting save is retried from a fresh load, and a trigger that is no longer permitted after the
/// reload is answered with the guard's reason.
/// </summary>
public sealed class WorkflowEngine(IWorkflowStore store, WorkflowRegistry registry, TimeProvider time, ILogger<WorkflowEngine> logger)
{
    /// <summary>How long an idempotency key and its outcome are remembered.</summary>
    public static readonly TimeSpan IdempotencyRetention = TimeSpan.FromDays(1);

    /// <summary>How many times a conflicting save is retried from a fresh load.</summary>
    public const int MaxAttempts = 25;

    public async Task<FireOutcome> FireAsync(WorkflowTrigger trigger, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(trigger.AggregateType, out var definition))
            throw new InvalidOperationException($"No workflow is registered for aggregate type '{trigger.AggregateType}'.");

        if (trigger.IdempotencyKey is { } key)
        {
            var claim = await store.ClaimAsync(key, IdempotencyRetention, cancellationToken);
            if (!claim.IsFirst) return FireOutcome.Duplicate(FireOutcome.FromJson(claim.EarlierOutcome));
        }

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var record = await store.LoadAsync(trigger.AggregateType, trigger.AggregateId, cancellationToken);
            if (record is null) return await FinishWithoutChange(trigger, FireOutcome.NotFound(trigger.AggregateType, trigger.AggregateId), cancellationToken);

            var aggregate = definition.Restore(record);
            var now = time.GetUtcNow();
            var context = new FireContext(trigger.Actor, now, trigger.Expectation, trigger.RequestId, trigger.ArgumentsJson);
            var result = aggregate.Fire(trigger.Trigger, context);
            if (!result.Fired)
            {
                var refused = FireOutcome.Refused(trigger.AggregateType, trigger.AggregateId, result.Before, result.Refusals);
                return await FinishWithoutChange(trigger, refused, cancellationToken);
            }

            var work = BuildUnitOfWork(aggregate, record.Version, result, trigger.Trigger, context, trigger.FromTimer, now);
            var outcomeIfSaved = FireOutcome.Transitioned(trigger.AggregateType, trigger.AggregateId, result.Before, result.After, 0);
            try
            {
                var audit = await store.CommitAsync(WithIdempotency(work, trigger.IdempotencyKey, outcomeIfSaved, now), cancellationToken);
                return outcomeIfSaved with { AuditSequence = audit.Sequence };
            }
            catch (ConcurrencyConflictException)
            {
                logger.LogDebug("Conflict firing {Trigger} on {Type}/{Id} (attempt {Attempt}); reloading", trigger.Trigger, trigger.AggregateType, trigger.AggregateId, attempt);
                // A few milliseconds of real-time jitter so racing writers spread out. Deliberately not the
                // TimeProvider: this is contention back-off, not domain time, and must not wait on a fake clock.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * Math.Min(attempt, 10))), cancellationToken);
            }
        }
        return await FinishWithoutChange(trigger, FireOutcome.Busy(trigger.AggregateType, trigger.AggregateId), cancellationToken);
    }

    /// <summary>Saves a new aggregate (version 1) with its creation effects; fails with Refused if the id exists.</summary>
    public async Task<FireOutcome> CreateAsync(IWorkflow aggregate, WorkflowActor actor, string? requestId, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null)
        {
            var claim = await store.ClaimAsync(idempotencyKey, IdempotencyRetention, cancellationToken);
            if (!claim.IsFirst) return FireOutcome.Duplicate(FireOutcome.FromJson(claim.EarlierOutcome));
        }

        var now = time.GetUtcNow();
        var context = new FireContext(actor, now, null, requestId);
        aggregate.Create(context);
        var created = new TransitionResult(true, "(new)", aggregate.State, []);
        var work = BuildUnitOfWork(aggregate, 0, created, "Create", context, null, now);
        var outcome = FireOutcome.Transitioned(aggregate.AggregateType, aggregate.Id, created.Before, created.After, 0);
        try
        {
            var audit = await store.CommitAsync(WithIdempotency(work, idempotencyKey, outcome, now), cancellationToken);
            return outcome with { AuditSequence = audit.Sequence };
        }
        catch (ConcurrencyConflictException)
        {
            var refused = FireOutcome.Refused(aggregate.AggregateType, aggregate.Id, "(exists)", [$"A {aggregate.AggregateType} `{aggregate.Id}` already exists."]);
            if (idempotencyKey is not null) await store.CompleteAsync(idempotencyKey, refused.ToJson(), cancellationToken);
            return refused;
        }
    }

    private async Task<FireOutcome> FinishWithoutChange(WorkflowTrigger trigger, FireOutcome outcome, CancellationToken cancellationToken)
    {
        if (trigger.FromTimer is { } timer) await store.RemoveTimerAsync(timer.Id, timer.Token, cancellationToken);
        if (trigger.IdempotencyKey is { } key) await store.CompleteAsync(key, outcome.ToJson(), cancellationToken);
        return outcome;
    }

    private static UnitOfWork WithIdempotency(UnitOfWork work, string? key, FireOutcome outcome, DateTimeOffset now) =>
        key is null ? work : work with { Idempotency = new IdempotencyOutcome(key, outcome, now + IdempotencyRetention) };

    private static UnitOfWork BuildUnitOfWork(IWorkflow aggregate, long expectedVersion, TransitionResult result, string action, FireContext context, TimerRecord? firedTimer, DateTimeOffset now)
    {
        var effects = aggregate.TakeEffects();
        var messages = effects.Messages.Select((m, i) =>
        {
            var id = Guid.NewGuid().ToString("N");
            return new OutboxMessage
            {
                Id = id,
                Sequence = i, // the store assigns the real, global order
                Key = m.Key ?? id,
                Channel = m.Channel,
                Text = m.Text,
                BlocksJson = m.BlocksJson,
                ThreadUnderKey = m.ThreadUnderKey,
                UpdateKey = m.UpdateKey,
                CreatedAt = now,
            };
        }).ToList();
        var timers = effects.TimersToSet.Select(t => new TimerRecord(
            TimerRecord.IdFor(aggregate.AggregateType, aggregate.Id, t.Name), aggregate.AggregateType, aggregate.Id,
            t.Trigger, t.Expectation, t.DueAt, Guid.NewGuid().ToString("N"))).ToList();
        var details = new Dictionary<string, string?>(effects.AuditDetails, StringComparer.Ordinal);
        if (context.Expectation is not null) details["expectation"] = context.Expectation;
        if (firedTimer is not null) details["timer"] = firedTimer.Id;

        return new UnitOfWork
        {
            Aggregate = aggregate.ToRecord(now),
            ExpectedVersion = expectedVersion,
            Audit = new AuditDraft
            {
                At = now,
                ActorId = context.Actor.UserId,
                ActorName = context.Actor.UserName,
                Action = action,
                AggregateType = aggregate.AggregateType,
                AggregateId = aggregate.Id,
                Before = result.Before,
                After = result.After,
                RequestId = context.RequestId,
                DetailsJson = details.Count == 0 ? null : JsonSerializer.Serialize(details),
            },
            Messages = messages,
            TimersToSet = timers,
            TimersToCancel = effects.TimersToCancel.Select(n => TimerRecord.IdFor(aggregate.AggregateType, aggregate.Id, n)).ToList(),
            FiredTimer = firedTimer,
        };
    }
}
