using System.Text;
using System.Text.Json;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.Workflows.Storage;
using Bot.Workflows.Wakeups;
using Microsoft.Extensions.Options;

namespace Bot.PagerDuty;

/// <summary>
/// Hands stored PagerDuty events to the <see cref="IPagerDutyEventSink"/>, after the webhook was answered.
/// Items are claimed with a lease (two instances never handle the same event at once; a dead worker's
/// items come back when the lease runs out), completed when the sink returns, and deferred with backoff
/// when it throws. Events of one incident are handed over in the order they arrived: an event waits while
/// an earlier one of its incident is still pending. After <see cref="MaxAttempts"/> failures an event is
/// given up (logged as an error) so it cannot block its incident for ever.
/// </summary>
public sealed class PagerDutyInboxProcessor(IWorkflowStore store, PagerDutyInbox inbox, IServiceProvider services, TimeProvider time, ILogger<PagerDutyInboxProcessor> logger,
    IOptions<PumpOptions>? options = null)
{
    public static readonly TimeSpan DefaultLease = TimeSpan.FromMinutes(2);
    public const int BatchSize = 50;
    public const int MaxAttempts = 8;

    /// <summary>How many pending items are looked at to keep an incident's events in order.</summary>
    private const int OrderWindow = 1000;

    private readonly PumpOptions _options = options?.Value ?? new PumpOptions();

    /// <summary>How long a claimed event is held (<see cref="PumpOptions.InboxLease"/>, default <see cref="DefaultLease"/>): a dead instance's events come back after it.</summary>
    public TimeSpan Lease => _options.InboxLease ?? DefaultLease;

    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>One round: handles every due event. Returns how many were handed to the sink.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken) => (await RoundAsync(cancellationToken)).Handled;

    private async Task<(int Claimed, int Handled)> RoundAsync(CancellationToken cancellationToken)
    {
        var handled = 0;
        var total = 0;
        while (true)
        {
            var claimed = await store.ClaimWorkAsync(PagerDutyInbox.Queue, time.GetUtcNow(), Owner, Lease, BatchSize, cancellationToken);
            total += claimed.Count;
            if (claimed.Count == 0) return (total, handled);
            var pending = await store.ListPendingWorkAsync(PagerDutyInbox.Queue, OrderWindow, cancellationToken);
            var finished = new HashSet<string>(StringComparer.Ordinal);
            var sink = services.GetRequiredService<IPagerDutyEventSink>();
            foreach (var item in claimed)
            {
                if (EarlierOfSameIncident(item, pending, finished) is { } earlier)
                {
                    await store.DeferWorkAsync(item, Max(earlier.DueAt, time.GetUtcNow()), $"waits for {earlier.Id}", cancellationToken);
                    continue;
                }
                if (await HandleAsync(sink, item, cancellationToken))
                {
                    finished.Add(item.Id);
                    handled++;
                }
            }
            if (claimed.Count < BatchSize) return (total, handled);
        }
    }

    /// <summary>
    /// Runs rounds until cancelled: at once when an event is stored in this process, when a deferred event is due,
    /// and every idle poll (<see cref="PumpOptions.IdlePoll"/>: events stored by other instances, expired leases).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PumpLoop.RunAsync("PagerDuty inbox", async ct =>
            {
                var round = await RoundAsync(ct);
                return new PumpRound(round.Claimed, await store.NextWorkDueAsync(PagerDutyInbox.Queue, ct));
            }, inbox.Arrivals, _options.IdlePoll, time, logger, cancellationToken);
        }
        catch (NotSupportedException e)
        {
            logger.LogError("PagerDuty webhooks cannot be processed: {Reason}", e.Message);
        }
    }

    private static WorkItem? EarlierOfSameIncident(WorkItem item, IReadOnlyList<WorkItem> pending, HashSet<string> finished) =>
        item.AggregateId is null
            ? null
            : pending.FirstOrDefault(p => p.AggregateId == item.AggregateId && p.Id != item.Id && !finished.Contains(p.Id)
                && (p.CreatedAt < item.CreatedAt || (p.CreatedAt == item.CreatedAt && string.CompareOrdinal(p.Id, item.Id) < 0)));

    private async Task<bool> HandleAsync(IPagerDutyEventSink sink, WorkItem item, CancellationToken cancellationToken)
    {
        PagerDutyWebhookEvent? webhookEvent;
        try
        {
            var delivery = JsonSerializer.Deserialize<PagerDutyInbox.StoredDelivery>(item.PayloadJson);
            webhookEvent = delivery is null ? null : PagerDutyWebhookParser.Parse(Encoding.UTF8.GetBytes(delivery.Body), out _);
        }
        catch (JsonException)
        {
            webhookEvent = null;
        }
        if (webhookEvent is null)
        {
            logger.LogError("Stored PagerDuty event {Item} cannot be read; dropped", item.Id);
            await Complete(item, "unreadable", cancellationToken);
            return false;
        }

        try
        {
            await sink.HandleAsync(webhookEvent, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (item.Attempts >= MaxAttempts)
            {
                logger.LogError(e, "PagerDuty {EventType} {EventId} failed {Attempts} times; giving up on it", webhookEvent.EventType, webhookEvent.Id, item.Attempts);
                await Complete(item, "gave up: " + e.GetType().Name, cancellationToken);
                return false;
            }
            var retryIn = Backoff(item.Attempts);
            logger.LogWarning(e, "PagerDuty {EventType} {EventId} failed (attempt {Attempts}); trying again in {RetryIn}", webhookEvent.EventType, webhookEvent.Id, item.Attempts, retryIn);
            await store.DeferWorkAsync(item, time.GetUtcNow() + retryIn, e.GetType().Name + ": " + e.Message, cancellationToken);
            return false;
        }
        await Complete(item, "handled", cancellationToken);
        return true;
    }

    /// <summary>2 s, 4 s, 8 s … at most 5 minutes.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, Math.Clamp(attempts, 1, 9))));

    private Task Complete(WorkItem item, string outcome, CancellationToken cancellationToken) =>
        store.CompleteWorkAsync(new WorkCompletion(item.Id, outcome, time.GetUtcNow() + PagerDutyInbox.Retention), cancellationToken);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <summary>Runs the PagerDuty inbox for the life of the host.</summary>
internal sealed class PagerDutyInboxService(PagerDutyInboxProcessor processor) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await processor.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
