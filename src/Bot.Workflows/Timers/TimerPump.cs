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
/// lease runs out. Between rounds the pump sleeps until the earliest timer is due or a commit in this
/// process sets an earlier one (<see cref="WorkSignals.Timers"/>), looking at the store on its own only every
/// <see cref="PumpOptions.IdlePoll"/>.
/// </summary>
public sealed class TimerPump(IWorkflowStore store, WorkflowEngine engine, TimeProvider time, ILogger<TimerPump> logger,
    WorkSignals? signals = null, IOptions<PumpOptions>? options = null)
{
    public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(60);
    public const int BatchSize = 50;
    /// <summary>How many timers of a batch fire at once.</summary>
    public const int Concurrency = 16;

    private readonly PumpOptions _options = options?.Value ?? new PumpOptions();

    /// <summary>How long a claimed timer is held (<see cref="PumpOptions.TimerLease"/>, default <see cref="DefaultLease"/>).</summary>
    public TimeSpan Lease => _options.TimerLease ?? DefaultLease;

    /// <summary>This instance's name in leases.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// One round: claims and fires every due timer. Returns how many were fired (or removed as stale). A firing under
    /// way when <paramref name="cancellationToken"/> is cancelled (shutdown) is finished; the timers claimed but not
    /// fired yet are given back, so another instance fires them at once instead of when their lease runs out.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var due = await store.ClaimDueTimersAsync(time.GetUtcNow(), Owner, Lease, BatchSize, cancellationToken);
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (timer, _) =>
            {
                if (cancellationToken.IsCancellationRequested) await ReleaseAsync([timer]);
                else if (await FireAsync(timer, CancellationToken.None)) Interlocked.Increment(ref total);
            });
            if (cancellationToken.IsCancellationRequested) return total;
            if (due.Count < BatchSize) return total;
        }
    }

    private async Task ReleaseAsync(IEnumerable<TimerRecord> timers)
    {
        foreach (var timer in timers)
        {
            try
            {
                await store.ReleaseTimerAsync(timer, CancellationToken.None);
                logger.LogInformation("Timer {Timer} given back at shutdown", timer.Id);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Timer {Timer} could not be given back; it is fired when its lease expires", timer.Id);
            }
        }
    }

    private async Task<bool> FireAsync(TimerRecord timer, CancellationToken cancellationToken)
    {
        try
        {
            // No idempotency key: a timer fired twice (its lease ran out mid-fire) is stopped by its
            // expectation, which the first firing made stale, and the timer goes with the transition.
            var outcome = await engine.FireAsync(new WorkflowTrigger(timer.AggregateType, timer.AggregateId, timer.Trigger, WorkflowActor.Bot)
            {
                Source = TriggerSource.Timer,
                Expectation = timer.Expectation,
                RequestId = $"timer:{timer.Id}",
                FromTimer = timer,
            }, cancellationToken);
            var lateness = time.GetUtcNow() - timer.DueAt;
            BotTelemetry.TimerLateness.Record(Math.Max(0, lateness.TotalSeconds), new KeyValuePair<string, object?>("workflow", timer.AggregateType));
            logger.LogInformation("Timer {Timer} due {Due:O} fired {LatenessMs} ms late: {Outcome}", timer.Id, timer.DueAt, (long)lateness.TotalMilliseconds, outcome.Kind);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Leave it: the lease runs out and a later round (here or on another instance) tries again.
            logger.LogWarning(e, "Timer {Timer} failed to fire; it will be retried when its lease expires", timer.Id);
            return false;
        }
    }

    /// <summary>Runs rounds until cancelled: when the earliest timer is due, when this process sets an earlier one, and every idle poll.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        PumpLoop.RunAsync("Timer pump", async ct =>
        {
            var fired = await RunOnceAsync(ct);
            return new PumpRound(fired, await store.NextTimerDueAsync(ct));
        }, (signals ?? new WorkSignals()).Timers, _options.IdlePoll, time, logger, cancellationToken);
}
