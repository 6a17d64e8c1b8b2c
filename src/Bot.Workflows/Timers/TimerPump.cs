using Bot.Workflows.Engine;
using Bot.Workflows.Storage;
using Bot.Workflows.Telemetry;
using Bot.Workflows.Wakeups;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Workflows.Timers;

/// <summary>
/// Fires durable timers. Each round claims due timers with a lease (so two instances never fire the
/// same one), fires them through the engine concurrently (the transition deletes the timer in the same
/// write; on DynamoDB the store commits transitions that are ready together in one transaction), and
/// removes timers whose expectation no longer matches. A timer whose owner died is claimed again when its
/// lease runs out; one whose firing throws is tried again with backoff and, after a few, given up (a dead letter). Between rounds the pump sleeps until the earliest timer is due or a commit in this
/// process sets an earlier one (<see cref="WorkSignals.Timers"/>), looking at the store on its own only every
/// <see cref="PumpOptions.IdlePoll"/>.
/// </summary>
public sealed class TimerPump(ITimerStore store, WorkflowEngine engine, TimeProvider time, ILogger<TimerPump> logger,
    WorkSignals? signals = null, IOptions<PumpOptions>? options = null)
    : LeasePump<TimerRecord>(Settings(options?.Value), (signals ?? new WorkSignals()).Timers, options?.Value, time, logger)
{
    public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(60);
    public const int BatchSize = 50;
    /// <summary>How many timers of a batch fire at once.</summary>
    public const int Concurrency = 16;

    /// <summary>The lease is <see cref="PumpOptions.TimerLease"/>, default <see cref="DefaultLease"/>.</summary>
    private static LeasePumpSettings Settings(PumpOptions? options) =>
        new("Timer pump", options?.TimerLease ?? DefaultLease, BatchSize, Concurrency);

    protected override Task<IReadOnlyList<TimerRecord>> ClaimAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        store.ClaimDueTimersAsync(now, Owner, Lease, max, cancellationToken);

    protected override Task GiveBackAsync(TimerRecord timer, CancellationToken cancellationToken) => store.ReleaseTimerAsync(timer, cancellationToken);

    protected override Task LeaveAsync(TimerRecord timer, DateTimeOffset until, string why, CancellationToken cancellationToken) =>
        store.DeferTimerAsync(timer, until, why, cancellationToken, countsAsAttempt: false);

    protected override Task<bool> RenewAsync(TimerRecord timer, DateTimeOffset until, CancellationToken cancellationToken) =>
        store.RenewTimerLeaseAsync(timer, until, cancellationToken);

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => store.NextTimerDueAsync(cancellationToken);

    protected override string IdOf(TimerRecord timer) => "timer " + timer.Id;

    /// <summary>
    /// A firing that threw (its aggregate cannot be read, the store failed): tried again after <see cref="WorkQueuePump.FailureBackoff"/>,
    /// and after <see cref="LeasePump{TItem}.GiveUpAfter"/> claims given up: a dead letter, listed by <c>/sb deadletters</c> and
    /// counted by <c>/sb status</c>, until an admin replays it or its workflow sets it again.
    /// </summary>
    protected override async Task FailedAsync(TimerRecord timer, Exception error, CancellationToken cancellationToken)
    {
        var why = $"{error.GetType().Name}: {error.Message}";
        if (timer.Attempts < GiveUpAfter)
        {
            await store.DeferTimerAsync(timer, Time.GetUtcNow() + WorkQueuePump.FailureBackoff(timer.Attempts), why, cancellationToken);
            return;
        }
        Logger.LogError("Timer {Timer} given up after {Attempts} failed firing(s): {Error}; it waits as a dead letter (/sb deadletters)", timer.Id, timer.Attempts, why);
        await store.DeadLetterTimerAsync(timer, why, cancellationToken);
        BotTelemetry.GaveUp("timer", "gave_up");
    }

    /// <summary>Fires one timer through the engine; true when it fired (or was spent). A firing that throws goes to <see cref="FailedAsync"/>.</summary>
    protected override async Task<bool> RunOneAsync(TimerRecord timer, ItemLease lease)
    {
        var cancellationToken = lease.Lost;
        // No idempotency key: the transition is fenced by the timer's claim (a holder whose lease passed on commits nothing),
        // and a timer fired twice is stopped by its expectation, which the first firing made stale; the timer goes with the transition.
        var outcome = await engine.FireAsync(new WorkflowTrigger(timer.AggregateType, timer.AggregateId, timer.Trigger, WorkflowActor.Bot)
        {
            Source = TriggerSource.Timer,
            Expectation = timer.Expectation,
            RequestId = $"timer:{timer.Id}",
            FromTimer = timer,
        }, cancellationToken);
        // A firing that changed nothing (its expectation no longer holds, or its aggregate is gone) spends the timer; one
        // that kept losing the optimistic race leaves it, to fire again when its lease runs out.
        if (outcome.Kind is not (FireOutcomeKind.Transitioned or FireOutcomeKind.Busy)) await store.RemoveTimerAsync(timer.Id, timer.Token, cancellationToken);
        var lateness = Time.GetUtcNow() - timer.DueAt;
        BotTelemetry.TimerLateness.Record(Math.Max(0, lateness.TotalSeconds), new KeyValuePair<string, object?>("workflow", timer.AggregateType));
        Logger.LogInformation("Timer {Timer} due {Due:O} fired {LatenessMs} ms late: {Outcome}", timer.Id, timer.DueAt, (long)lateness.TotalMilliseconds, outcome.Kind);
        return true;
    }
}
