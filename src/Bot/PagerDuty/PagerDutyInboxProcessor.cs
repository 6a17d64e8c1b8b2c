using System.Text;
using System.Text.Json;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.Workers;
using Bot.Workflows.Engine;
using Bot.Workflows.Storage;
using Bot.Workflows.Wakeups;
using Microsoft.Extensions.Options;

namespace Bot.PagerDuty;

/// <summary>
/// Hands stored PagerDuty events to the <see cref="IPagerDutyEventSink"/>, after the webhook was answered.
/// <list type="bullet">
/// <item>Items are claimed with a lease renewed while the sink works (two instances never handle the same event at once; a
/// dead worker's items come back when the lease runs out), completed under their claim when the sink returns, and deferred
/// with backoff when it throws.</item>
/// <item>Events of one incident are handed over in the order they arrived: an event waits while an earlier one of its
/// incident is still pending (on this instance or another). Waiting is not failing: it counts no attempt, and the wait grows
/// (<see cref="OrderWait"/>) so a pump holding only waiting events sleeps instead of claiming them again and again.</item>
/// <item>An event whose trigger was claimed by an attempt that recorded no outcome (<see cref="OutcomeInDoubtException"/>) is
/// in doubt, not handled: it is delivered again without counting an attempt, and applied once that claim is abandoned.</item>
/// <item>A failing event (PagerDuty's REST API down, a bug) is retried with a growing wait (<see cref="Backoff"/>, at most
/// <see cref="MaxBackoff"/>) until it has been failing for a day: it is given up once it arrived more than <see cref="RetriedFor"/>
/// ago and failed at least <see cref="MaxAttempts"/> times (<see cref="GivesUp"/>; an event that waited in the queue while the bot
/// was down, or one an admin replayed, still gets its attempts). Given up, it is a dead letter, never dropped silently: kept
/// with its last error, listed, counted (<c>/sb status</c>) and replayable by <c>/sb deadletters</c>. A dead letter is no longer
/// pending, so it does not hold back its incident's later events; replayed, it takes its place by its arrival again (its
/// incident's events that arrived after it and still wait go after it).</item>
/// </list>
/// </summary>
public sealed class PagerDutyInboxProcessor(IWorkQueueStore store, PagerDutyInbox inbox, IServiceProvider services, TimeProvider time, ILogger<PagerDutyInboxProcessor> logger,
    IOptions<PumpOptions>? options = null)
    : WorkQueuePump(store, PagerDutyInbox.Queue, Settings(options?.Value), inbox.Arrivals, options?.Value, time, logger)
{
    public static readonly TimeSpan DefaultLease = TimeSpan.FromMinutes(2);
    public const int BatchSize = 50;
    /// <summary>The fewest failures before an event is given up (counted again from nothing after a replay).</summary>
    public const int MaxAttempts = 8;

    /// <summary>How long after its arrival a failing event is retried before it is given up (with at least <see cref="MaxAttempts"/> failures).</summary>
    public static readonly TimeSpan RetriedFor = TimeSpan.FromDays(1);

    /// <summary>The longest wait between two attempts of a failing event.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(15);

    /// <summary>How long an event in doubt waits before it is delivered again (its earlier claim is abandoned after <see cref="OutcomeInDoubtException.AbandonedAfter"/>).</summary>
    public static readonly TimeSpan InDoubtWait = TimeSpan.FromSeconds(30);

    /// <summary>The shortest and longest wait of an event for an earlier one of its incident.</summary>
    public static readonly TimeSpan MinOrderWait = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxOrderWait = TimeSpan.FromSeconds(10);

    /// <summary>How many pending items are looked at to keep an incident's events in order.</summary>
    private const int OrderWindow = 1000;

    /// <summary>The batch's view of the queue: what was pending when it was claimed, and which of its events were handled since.</summary>
    private IReadOnlyList<WorkItem> _pending = [];
    private readonly HashSet<string> _finished = new(StringComparer.Ordinal);
    /// <summary>Events of the batch deferred since it was claimed, and when they are due now.</summary>
    private readonly Dictionary<string, DateTimeOffset> _deferred = new(StringComparer.Ordinal);
    private IPagerDutyEventSink? _sink;

    /// <summary>
    /// Events are handed over one after another, in the order claimed; the lease is <see cref="PumpOptions.InboxLease"/>, default
    /// <see cref="DefaultLease"/> (a dead instance's events come back after it).
    /// </summary>
    private static LeasePumpSettings Settings(PumpOptions? options) =>
        new("PagerDuty inbox", options?.InboxLease ?? DefaultLease, BatchSize, GiveUpAfter: MaxAttempts);

    /// <summary>
    /// How long an event waits for an earlier one of its incident before it looks again: half as long as it has waited so far,
    /// between <see cref="MinOrderWait"/> and <see cref="MaxOrderWait"/> (a slow predecessor is looked at less and less often).
    /// </summary>
    public static TimeSpan OrderWait(WorkItem item, DateTimeOffset now)
    {
        var half = (now - item.CreatedAt) / 2;
        return half < MinOrderWait ? MinOrderWait : half > MaxOrderWait ? MaxOrderWait : half;
    }

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
        _deferred.Clear();
        _sink = services.GetRequiredService<IPagerDutyEventSink>();
    }

    /// <summary>Hands one event to the sink, unless an earlier one of its incident is still pending; true when the sink took it.</summary>
    protected override async Task<bool> RunOneAsync(WorkItem item, ItemLease lease)
    {
        var cancellationToken = lease.Lost;
        if (EarlierOfSameIncident(item, _pending, _finished) is { } earlier)
        {
            // Waiting for its turn is not an attempt: the event is not failing, its predecessor is at work (here or elsewhere).
            var now = Time.GetUtcNow();
            var earlierDue = _deferred.TryGetValue(earlier.Id, out var deferredTo) ? deferredTo : earlier.DueAt;
            await DeferAsync(item, Max(earlierDue, now + OrderWait(item, now)), $"waits for {earlier.Id}", countsAsAttempt: false, cancellationToken);
            return false;
        }
        if (!await HandleAsync(_sink!, item, lease, cancellationToken)) return false;
        _finished.Add(item.Id);
        return true;
    }

    private static WorkItem? EarlierOfSameIncident(WorkItem item, IReadOnlyList<WorkItem> pending, HashSet<string> finished) =>
        item.AggregateId is null
            ? null
            : pending.FirstOrDefault(p => p.AggregateId == item.AggregateId && p.Id != item.Id && !finished.Contains(p.Id)
                && (p.CreatedAt < item.CreatedAt || (p.CreatedAt == item.CreatedAt && string.CompareOrdinal(p.Id, item.Id) < 0)));

    private async Task<bool> HandleAsync(IPagerDutyEventSink sink, WorkItem item, ItemLease lease, CancellationToken cancellationToken)
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
            await GiveUpAsync(item, "the stored event cannot be read", cancellationToken);
            return false;
        }

        // The fence before the side effect: an instance whose lease passed on (it was paused, cut off from the store) hands the
        // event to nobody; the new holder does. (The sink's transitions are idempotent by the event's key anyway; its PagerDuty
        // calls are spared.)
        await lease.EnsureHeldAsync(cancellationToken);
        try
        {
            await sink.HandleAsync(webhookEvent, cancellationToken);
        }
        catch (WrittenByNewerVersionException e)
        {
            // A rolling deploy: a newer version of the bot saved the incident; left for an instance that knows it, not failed.
            Logger.LogWarning("PagerDuty {EventType} {EventId} is left for a newer version of the bot: {Reason}", webhookEvent.EventType, webhookEvent.Id, e.Message);
            await DeferAsync(item, Time.GetUtcNow() + WrittenByNewerVersionException.LeaveFor, e.Message, countsAsAttempt: false, cancellationToken);
            return false;
        }
        catch (OutcomeInDoubtException e)
        {
            Logger.LogInformation("PagerDuty {EventType} {EventId} is in doubt ({Reason}); delivering it again in {Wait}", webhookEvent.EventType, webhookEvent.Id, e.Message, InDoubtWait);
            await DeferAsync(item, Time.GetUtcNow() + InDoubtWait, "in doubt: " + e.Message, countsAsAttempt: false, cancellationToken);
            return false;
        }
        catch (Exception e) when (e is not LeaseLostException && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            if (GivesUp(item, Time.GetUtcNow()))
            {
                await GiveUpAsync(item, $"{webhookEvent.EventType} {webhookEvent.Id}: {e.GetType().Name}: {e.Message}", cancellationToken);
                return false;
            }
            var retryIn = Backoff(item.Attempts);
            Logger.LogWarning(e, "PagerDuty {EventType} {EventId} failed (attempt {Attempts}); trying again in {RetryIn}", webhookEvent.EventType, webhookEvent.Id, item.Attempts, retryIn);
            await DeferAsync(item, Time.GetUtcNow() + retryIn, e.GetType().Name + ": " + e.Message, countsAsAttempt: true, cancellationToken);
            return false;
        }
        await Complete(item, "handled", cancellationToken);
        return true;
    }

    /// <summary>Defers an event of the batch, and remembers when it is due now (a later event of its incident waits for that).</summary>
    private async Task DeferAsync(WorkItem item, DateTimeOffset dueAt, string why, bool countsAsAttempt, CancellationToken cancellationToken)
    {
        await Store.DeferWorkAsync(item, dueAt, why, cancellationToken, countsAsAttempt);
        _deferred[item.Id] = dueAt;
    }

    /// <summary>2 s, 4 s, 8 s … at most <see cref="MaxBackoff"/> (15 minutes).</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Clamp(attempts, 1, 20))));

    /// <summary>
    /// Whether an event that failed now is given up: it arrived at least <see cref="RetriedFor"/> ago (a day of retries) and
    /// failed at least <see cref="MaxAttempts"/> times since it arrived or was replayed.
    /// </summary>
    public static bool GivesUp(WorkItem item, DateTimeOffset now) => item.Attempts >= MaxAttempts && now - item.CreatedAt >= RetriedFor;

    /// <summary>Completes the event under its claim (fenced: an instance whose lease passed on records nothing).</summary>
    private Task Complete(WorkItem item, string outcome, CancellationToken cancellationToken) =>
        Store.CompleteWorkAsync(new WorkCompletion(item.Id, outcome, Time.GetUtcNow() + PagerDutyInbox.Retention) { Lease = item.Lease }, cancellationToken);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <summary>Runs the PagerDuty inbox for the life of the host.</summary>
internal sealed class PagerDutyInboxService(PagerDutyInboxProcessor processor) : PumpService(processor.RunAsync);
