using Bot.Integrations.PagerDuty;
using Bot.Commands.Status;
using System.Diagnostics;
using Bot.Workflows;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Options;

namespace Bot.Operations;

/// <summary>
/// Every <see cref="OperationsOptions.SampleInterval"/>: records this instance's heartbeat in the store (so
/// <c>/sb status</c> can say which instances are running) and, while the metrics' gauges are collected
/// (<see cref="OperationalGauges"/>, through <see cref="Observe"/>), reads an <see cref="OperationsSnapshot"/> for them.
/// <c>/sb status</c> reads a fresh one. The workflows are counted from the store's counters; at start and every
/// <see cref="OperationsOptions.RecountInterval"/> they are counted anew (<see cref="IOperationsStore.RecountAsync"/>), which puts right
/// what a version of the bot that did not keep them (an older release during a rolling deploy) left behind.
/// </summary>
public sealed class OperationsMonitor(IOperationsStore store, IDeadLetterStore deadLetters, BotInstance instance, IOptions<StoreOptions> storeOptions, IOptions<OperationsOptions> options,
    TimeProvider time, ILogger<OperationsMonitor> logger) : BackgroundService
{
    /// <summary>The last snapshot read, if any.</summary>
    public OperationsSnapshot? Latest { get; private set; }

    /// <summary>1 when someone asked for the snapshot since the last read (the first round always reads).</summary>
    private int _observed = 1;

    /// <summary>
    /// The latest snapshot, for the gauges. Asking is what keeps the background reads going: an instance whose metrics
    /// nobody collects reads nothing but writes its heartbeat (an idle instance makes almost no store requests).
    /// </summary>
    public OperationsSnapshot? Observe()
    {
        Volatile.Write(ref _observed, 1);
        return Latest;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var recountAt = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await HeartbeatAsync(stoppingToken);
                if (time.GetUtcNow() >= recountAt && await RecountAsync(stoppingToken)) recountAt = time.GetUtcNow() + options.Value.RecountInterval;
                if (Interlocked.Exchange(ref _observed, 0) == 1) Latest = await ReadAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Operations snapshot failed: {Error}", e.Message);
            }
            try
            {
                await Task.Delay(options.Value.SampleInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Counts the workflows anew; false when a count was put off (commits kept coming), to be tried at the next round.</summary>
    public async Task<bool> RecountAsync(CancellationToken cancellationToken)
    {
        var all = true;
        foreach (var type in WorkflowCensus.Types) all &= await store.RecountAsync(type, cancellationToken);
        return all;
    }

    public Task HeartbeatAsync(CancellationToken cancellationToken) =>
        store.RecordInstanceAsync(new InstanceRecord(instance.Id, instance.Host, BotInstance.Version, instance.StartedAt, time.GetUtcNow()), cancellationToken);

    /// <summary>Reads the store now.</summary>
    public async Task<OperationsSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        var backlog = await store.CountPendingOutboxAsync(cancellationToken);
        var latency = Stopwatch.GetElapsedTime(started);
        var snapshot = new OperationsSnapshot
        {
            At = now,
            Store = storeOptions.Value.IsDynamoDb ? $"dynamodb ({storeOptions.Value.DynamoDbTable})" : "sqlite",
            StoreLatency = latency,
            OutboxBacklog = backlog,
            DeadLetters = await deadLetters.CountAllDeadLettersAsync(cancellationToken),
            TimersDue = await store.CountDueTimersAsync(now, cancellationToken),
            ChangesPending = await WorkflowCensus.ChangesPendingAsync(store, cancellationToken),
            IncidentsOpen = await WorkflowCensus.IncidentsOpenAsync(store, cancellationToken),
            Instances = await store.ListInstancesAsync(now - options.Value.InstanceSeenWithin, cancellationToken),
        };
        Latest = snapshot;
        return snapshot;
    }
}

/// <summary>Bound from <c>Operations</c>.</summary>
public sealed class OperationsOptions
{
    public const string Section = "Operations";

    /// <summary>How often the heartbeat is written and the gauges' snapshot read.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the workflows are counted anew from the store (their counters are kept with every commit; this corrects drift).</summary>
    public TimeSpan RecountInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An instance whose last heartbeat is older than this is no longer listed as running.</summary>
    public TimeSpan InstanceSeenWithin { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// At shutdown, how long <c>/readyz</c> answers 503 while the bot still works, so a load balancer stops sending
    /// requests before the server stops taking them.
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Server mode: how often readiness is evaluated in the background and logged (<c>Readiness {Readiness}: …</c>; at least a second).</summary>
    public TimeSpan ReadinessLogInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Server mode: how often the outbox line is logged (<c>Outbox backlog {OutboxBacklog}, oldest … s, dead letters …</c>).</summary>
    public TimeSpan OutboxLogInterval { get; set; } = TimeSpan.FromMinutes(1);
}
