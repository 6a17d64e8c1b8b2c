using System.Text.Json;
using Bot.Workflows.Audit;
using Bot.Workflows.Idempotency;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;
using Bot.Workflows.Telemetry;
using Bot.Workflows.Wakeups;
using Microsoft.Extensions.Logging;

namespace Bot.Workflows.Engine;

/// <summary>
/// The unit of work per trigger: resolve the person's roles → load → (a button from an older card stops here) →
/// fire → save with an optimistic version check. The save writes the new state, the audit record, the outbox
/// messages (the card edited in place, timeline lines), the timer changes and the activities in one atomic write;
/// a conflicting save is retried from a fresh load, and a trigger that is no longer permitted after the reload is
/// answered with the guard's reason. Refusals of people are audited too (who tried what, and why not). After a save
/// the pumps that have something new to do (outbox, timers, activities) are woken through <see cref="WorkSignals"/>.
/// </summary>
public sealed class WorkflowEngine(IAggregateStore store, IIdempotencyStore keys, IOutboxStore deliveries, WorkflowRegistry registry, IDirectory directory, TimeProvider time, ILogger<WorkflowEngine> logger,
    WorkSignals? signals = null)
{
    /// <summary>How long an idempotency key and its outcome are remembered.</summary>
    public static readonly TimeSpan IdempotencyRetention = TimeSpan.FromDays(1);

    /// <summary>How many times a conflicting save is retried from a fresh load.</summary>
    public const int MaxAttempts = 25;

    public WorkflowRegistry Registry => registry;

    public async Task<FireOutcome> FireAsync(WorkflowTrigger trigger, CancellationToken cancellationToken)
    {
        var outcome = await FireUnloggedAsync(trigger, cancellationToken);
        LogOutcome(trigger.AggregateType, trigger.AggregateId, trigger.Trigger, trigger.Actor, trigger.RequestId, outcome);
        return outcome;
    }

    /// <summary>
    /// One structured line per trigger (the workflow, its id, the trigger, who, the states and the outcome; the request's
    /// log scope adds the Slack request id), and the <c>sb.workflow.transitions</c> count.
    /// </summary>
    private void LogOutcome(string type, string id, string trigger, WorkflowActor actor, string? requestId, FireOutcome outcome)
    {
        var kind = outcome.Kind == FireOutcomeKind.Duplicate ? "duplicate" : outcome.Kind.ToString().ToLowerInvariant();
        BotTelemetry.Transitions.Add(1, new KeyValuePair<string, object?>("workflow", type), new KeyValuePair<string, object?>("trigger", trigger),
            new KeyValuePair<string, object?>("outcome", kind));
        logger.Log(outcome.IsTransitioned ? LogLevel.Information : LogLevel.Debug,
            "Workflow {Workflow} {WorkflowId}: {Trigger} by {UserId} ({RequestId}) from {From} to {To}: {Outcome}",
            type, id, trigger, actor.UserId, requestId, outcome.From, outcome.To, kind);
    }

    private async Task<FireOutcome> FireUnloggedAsync(WorkflowTrigger trigger, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(trigger.AggregateType, out var definition))
            throw new InvalidOperationException($"No workflow is registered for aggregate type '{trigger.AggregateType}'.");

        if (trigger.IdempotencyKey is { } key)
        {
            var claim = await keys.ClaimAsync(key, IdempotencyRetention, cancellationToken);
            // A key claimed without an outcome is in doubt, unless the commit is fenced by the lease of the work item it completes:
            // then an earlier report (of an earlier lease) can no longer land, and the holder of the lease records the result now
            // rather than after the claim is abandoned (a report that died between its claim and its commit held the activity
            // for minutes, re-running it every half minute).
            var fenced = trigger.CompletesWork is not null && trigger.CompletesWorkLease is not null;
            if (!claim.IsFirst && !(fenced && claim.EarlierOutcome is null)) return FireOutcome.Duplicate(FireOutcome.FromJson(claim.EarlierOutcome));
        }

        var actor = trigger.Actor;
        if (actor.IsPerson)
        {
            try
            {
                actor = actor with { Roles = await directory.RolesOfAsync(actor, cancellationToken) };
            }
            catch (DirectoryUnavailableException e)
            {
                logger.LogWarning(e, "Roles of {User} could not be resolved; refusing {Trigger} on {Type}/{Id}", actor.UserId, trigger.Trigger, trigger.AggregateType, trigger.AggregateId);
                var refused = FireOutcome.Refused(trigger.AggregateType, trigger.AggregateId, "(unknown)",
                    [$"I could not check your roles ({e.Message}), so nothing was changed. Try again in a minute."]);
                return await FinishWithoutChange(trigger, refused, cancellationToken);
            }
        }

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var record = await store.LoadAsync(trigger.AggregateType, trigger.AggregateId, cancellationToken);
            if (record is null) return await FinishWithoutChange(trigger, FireOutcome.NotFound(trigger.AggregateType, trigger.AggregateId), cancellationToken);

            var aggregate = definition.Restore(record);
            if (trigger.CardVersion is { } shown && shown != (aggregate.CardChannel is null ? record.Version : aggregate.CardVersion)
                && !aggregate.AcceptsFromAnyCard(trigger.Trigger))
            {
                var stale = FireOutcome.Stale(trigger.AggregateType, trigger.AggregateId, aggregate.State, aggregate.DescribeNow());
                return await FinishWithoutChange(trigger, stale, cancellationToken);
            }
            if (aggregate.CardChannel is not null) aggregate.AttachCardMessage(await deliveries.FindSentAsync(aggregate.CardKey, cancellationToken));

            var now = time.GetUtcNow();
            var context = new FireContext(actor, now, trigger.Expectation, trigger.RequestId, trigger.ArgumentsJson)
            {
                Source = trigger.Source,
                Activity = trigger.Activity,
            };
            var result = aggregate.Fire(trigger.Trigger, context);
            if (!result.Fired)
            {
                var refused = FireOutcome.Refused(trigger.AggregateType, trigger.AggregateId, result.Before, result.Refusals);
                return await FinishWithoutChange(trigger, refused, cancellationToken);
            }

            var work = UnitOfWorkBuilder.Build(aggregate, record.Version, result, trigger.Trigger, context, trigger.FromTimer, now) with
            {
                PreviousState = record.State,
                CompleteWork = trigger.CompletesWork is { } done
                    ? new WorkCompletion(done, trigger.Trigger, now + UnitOfWorkBuilder.ForgetWorkAfter) { Lease = trigger.CompletesWorkLease }
                    : null,
            };
            var outcomeIfSaved = FireOutcome.Transitioned(trigger.AggregateType, trigger.AggregateId, result.Before, result.After, 0);
            try
            {
                var audit = await CommitAsync(WithIdempotency(work, trigger.IdempotencyKey, outcomeIfSaved, now), cancellationToken);
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

        // Nothing was decided: the timer stays (its lease ends and it fires again), and the idempotency key keeps no
        // outcome (a retry after the abandoned-claim time may try again).
        logger.LogWarning("Gave up firing {Trigger} on {Type}/{Id} after {Attempts} conflicting saves", trigger.Trigger, trigger.AggregateType, trigger.AggregateId, MaxAttempts);
        return FireOutcome.Busy(trigger.AggregateType, trigger.AggregateId);
    }

    /// <summary>Saves a new aggregate (version 1) with its creation effects and card; fails with Refused if the id exists.</summary>
    public async Task<FireOutcome> CreateAsync(IWorkflow aggregate, WorkflowActor actor, string? requestId, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var outcome = await CreateUnloggedAsync(aggregate, actor, requestId, idempotencyKey, cancellationToken);
        LogOutcome(aggregate.AggregateType, aggregate.Id, "Create", actor, requestId, outcome);
        return outcome;
    }

    private async Task<FireOutcome> CreateUnloggedAsync(IWorkflow aggregate, WorkflowActor actor, string? requestId, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null)
        {
            var claim = await keys.ClaimAsync(idempotencyKey, IdempotencyRetention, cancellationToken);
            if (!claim.IsFirst) return FireOutcome.Duplicate(FireOutcome.FromJson(claim.EarlierOutcome));
        }

        var now = time.GetUtcNow();
        var context = new FireContext(actor, now, null, requestId);
        aggregate.Create(context);
        var created = new TransitionResult(true, "(new)", aggregate.State, []);
        var work = UnitOfWorkBuilder.Build(aggregate, 0, created, "Create", context, null, now);
        var outcome = FireOutcome.Transitioned(aggregate.AggregateType, aggregate.Id, created.Before, created.After, 0);
        try
        {
            var audit = await CommitAsync(WithIdempotency(work, idempotencyKey, outcome, now), cancellationToken);
            return outcome with { AuditSequence = audit.Sequence };
        }
        catch (ConcurrencyConflictException)
        {
            var refused = FireOutcome.Refused(aggregate.AggregateType, aggregate.Id, "(exists)", [$"A {aggregate.AggregateType} {aggregate.Id} already exists."]);
            if (idempotencyKey is not null) await keys.CompleteAsync(idempotencyKey, refused.ToJson(), cancellationToken);
            return refused;
        }
    }

    /// <summary>
    /// A trigger that changed nothing: the outcome is remembered under the idempotency key, and a person's refusal is written to
    /// the audit trail (a timer that fired is spent: the timer pump removes it).
    /// </summary>
    private async Task<FireOutcome> FinishWithoutChange(WorkflowTrigger trigger, FireOutcome outcome, CancellationToken cancellationToken)
    {
        if (trigger.Actor.IsPerson && outcome.Kind is FireOutcomeKind.Refused or FireOutcomeKind.Stale)
        {
            await store.CommitAsync(new UnitOfWork
            {
                Audit = new AuditDraft
                {
                    At = time.GetUtcNow(),
                    ActorId = trigger.Actor.UserId,
                    ActorName = trigger.Actor.UserName,
                    Action = $"Refused {trigger.Trigger}",
                    AggregateType = trigger.AggregateType,
                    AggregateId = trigger.AggregateId,
                    Before = outcome.From,
                    After = outcome.To,
                    RequestId = trigger.RequestId,
                    DetailsJson = JsonSerializer.Serialize(new Dictionary<string, object?> { ["outcome"] = outcome.Kind.ToString(), ["reasons"] = outcome.Reasons }),
                },
            }, cancellationToken);
        }
        if (trigger.IdempotencyKey is { } key) await keys.CompleteAsync(key, outcome.ToJson(), cancellationToken);
        return outcome;
    }

    /// <summary>Saves <paramref name="work"/>, then wakes the pumps it gave something to do.</summary>
    private async Task<AuditRecord> CommitAsync(UnitOfWork work, CancellationToken cancellationToken)
    {
        var audit = await store.CommitAsync(work, cancellationToken);
        signals?.Committed(work);
        return audit;
    }

    private static UnitOfWork WithIdempotency(UnitOfWork work, string? key, FireOutcome outcome, DateTimeOffset now) =>
        key is null ? work : work with { Idempotency = new IdempotencyOutcome(key, outcome, now + IdempotencyRetention) };
}
