using System.Text;
using System.Text.Json;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.Workers;
using Bot.Workflows.Storage;
using Bot.Workflows.Wakeups;
using Microsoft.Extensions.Options;

namespace Bot.PagerDuty;

/// <summary>
/// Hands stored PagerDuty events to the <see cref="IPagerDutyEventSink"/>, after the webhook was answered.
/// Items are claimed with a lease (two instances never handle the same event at once; a dead worker's
/// items come back when the lease runs out), completed when the sink returns, and deferred with backoff
/// when it throws. Events of one incident are handed over in the order they arrived: an event waits while
/// an earlier one of its incident is still pending. A failing event is retried with a growing wait for a day from its
/// arrival (<see cref="PagerDutyDeadLetters"/>), then kept as a dead letter (logged as an error, counted in
/// <c>/sb status</c>, replayed with <c>/sb inbox</c>) that no longer holds back its incident's later events.
/// </summary>
public sealed class PagerDutyInboxProcessor(IWorkQueueStore store, PagerDutyInbox inbox, IServiceProvider services, TimeProvider time, ILogger<PagerDutyInboxProcessor> logger,
    IOptions<PumpOptions>? options = null)
    : WorkQueuePump(store, PagerDutyInbox.Queue, Settings(options?.Value), inbox.Arrivals, options?.Value, time, logger)
{
    public static readonly TimeSpan DefaultLease = TimeSpan.FromMinutes(2);
    public const int BatchSize = 50;

    /// <summary>How many pending items are looked at to keep an incident's events in order.</summary>
    private const int OrderWindow = 1000;

    /// <summary>The batch's view of the queue: what was pending when it was claimed, and which of its events were handled since.</summary>
    private IReadOnlyList<WorkItem> _pending = [];
    private readonly HashSet<string> _finished = new(StringComparer.Ordinal);
    private IPagerDutyEventSink? _sink;

    /// <summary>
    /// Events are handed over one after another, in the order claimed; the lease is <see cref="PumpOptions.InboxLease"/>, default
    /// <see cref="DefaultLease"/> (a dead instance's events come back after it).
    /// </summary>
    private static LeasePumpSettings Settings(PumpOptions? options) => new("PagerDuty inbox", options?.InboxLease ?? DefaultLease, BatchSize);

    /// <summary>
    /// Runs rounds until cancelled: at once when an event is stored in this process, when a deferred event is due,
    /// and every idle poll (<see cref="PumpOptions.IdlePoll"/>: events stored by other instances, expired leases).
    /// </summary>
    public override async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.RunAsync(cancellationToken);
        }
        catch (NotSupportedException e)
        {
            Logger.LogError("PagerDuty webhooks cannot be processed: {Reason}", e.Message);
        }
    }

    protected override async Task BeginBatchAsync(IReadOnlyList<WorkItem> batch, CancellationToken cancellationToken)
    {
        _pending = await Store.ListPendingWorkAsync(PagerDutyInbox.Queue, OrderWindow, cancellationToken);
        _finished.Clear();
        _sink = services.GetRequiredService<IPagerDutyEventSink>();
    }

    /// <summary>Hands one event to the sink, unless an earlier one of its incident is still pending; true when the sink took it.</summary>
    protected override async Task<bool> RunOneAsync(WorkItem item, CancellationToken cancellationToken)
    {
        if (EarlierOfSameIncident(item, _pending, _finished) is { } earlier)
        {
            await Store.DeferWorkAsync(item, Max(earlier.DueAt, Time.GetUtcNow()), $"waits for {earlier.Id}", cancellationToken);
            return false;
        }
        if (!await HandleAsync(_sink!, item, cancellationToken)) return false;
        _finished.Add(item.Id);
        return true;
    }

    private static WorkItem? EarlierOfSameIncident(WorkItem item, IReadOnlyList<WorkItem> pending, HashSet<string> finished) =>
        item.AggregateId is null
            ? null
            : pending.FirstOrDefault(p => p.AggregateId == item.AggregateId && p.Id != item.Id && !finished.Contains(p.Id) && !PagerDutyDeadLetters.IsDead(p)
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
            Logger.LogError("Stored PagerDuty event {Item} cannot be read; dropped", item.Id);
            await Complete(item, "unreadable", cancellationToken);
            return false;
        }

        try
        {
            await sink.HandleAsync(webhookEvent, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var deadLetters = new PagerDutyDeadLetters(Store, Time);
            if (deadLetters.GivesUp(item))
            {
                Logger.LogError(e, "PagerDuty {EventType} {EventId} failed for a day ({Attempts} attempts); kept as a dead letter: /sb inbox replays it",
                    webhookEvent.EventType, webhookEvent.Id, item.Attempts);
                await deadLetters.BuryAsync(item, e.GetType().Name + ": " + e.Message, cancellationToken);
                return false;
            }
            var retryIn = PagerDutyDeadLetters.Backoff(item.Attempts);
            Logger.LogWarning(e, "PagerDuty {EventType} {EventId} failed (attempt {Attempts}); trying again in {RetryIn}", webhookEvent.EventType, webhookEvent.Id, item.Attempts, retryIn);
            await Store.DeferWorkAsync(item, Time.GetUtcNow() + retryIn, e.GetType().Name + ": " + e.Message, cancellationToken);
            return false;
        }
        await Complete(item, "handled", cancellationToken);
        return true;
    }

    private Task Complete(WorkItem item, string outcome, CancellationToken cancellationToken) =>
        Store.CompleteWorkAsync(new WorkCompletion(item.Id, outcome, Time.GetUtcNow() + PagerDutyInbox.Retention), cancellationToken);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <summary>Runs the PagerDuty inbox for the life of the host.</summary>
internal sealed class PagerDutyInboxService(PagerDutyInboxProcessor processor) : PumpService(processor.RunAsync);
