using Bot.Workflows.Engine;
using Bot.Workflows.Storage;
using Bot.Workflows.Telemetry;
using Microsoft.Extensions.Logging;

namespace Bot.Workflows.Timers;

/// <summary>
/// Fires durable timers. Each round claims due timers with a lease (so two instances never fire the
/// same one), fires each as a trigger through the engine (the transition deletes the timer in the same
/// write), and removes timers whose expectation no longer matches. A timer whose owner died is claimed
/// again when its lease runs out.
/// </summary>
public sealed class TimerPump(IWorkflowStore store, WorkflowEngine engine, TimeProvider time, ILogger<TimerPump> logger)
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    public const int BatchSize = 50;

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
            for (var i = 0; i < due.Count; i++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    await ReleaseAsync(due.Skip(i));
                    return total;
                }
                var timer = due[i];
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
                    }, CancellationToken.None);
                    var lateness = time.GetUtcNow() - timer.DueAt;
                    BotTelemetry.TimerLateness.Record(Math.Max(0, lateness.TotalSeconds), new KeyValuePair<string, object?>("workflow", timer.AggregateType));
                    logger.LogInformation("Timer {Timer} due {Due:O} fired {LatenessMs} ms late: {Outcome}", timer.Id, timer.DueAt, (long)lateness.TotalMilliseconds, outcome.Kind);
                    total++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Leave it: the lease runs out and a later round (here or on another instance) tries again.
                    logger.LogWarning(e, "Timer {Timer} failed to fire; it will be retried when its lease expires", timer.Id);
                }
            }
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

    /// <summary>Runs a round every <see cref="PollInterval"/> (on the TimeProvider) until cancelled; polling also picks up timers set by other instances. Lateness is bounded by the interval.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Timer round failed; retrying");
            }
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }
}
