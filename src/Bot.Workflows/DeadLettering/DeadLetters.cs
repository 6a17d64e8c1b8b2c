using System.Diagnostics.Metrics;
using Bot.Workflows.Activities;
using Bot.Workflows.Storage;
using Bot.Workflows.Wakeups;

namespace Bot.Workflows.DeadLettering;

/// <summary>
/// Everything given up, in one model: outbox messages, timers and the work items of every queue (activities, PagerDuty events)
/// that failed too often are kept as dead letters, each with its last error, until an admin replays them
/// (<c>/sb deadletters</c>; <c>/sb outbox</c> for the messages alone). This service lists them as <see cref="DeadLetterEntry"/>s,
/// counts them (for <c>/sb status</c>, readiness and the gauges) and replays one by its id, waking the pump that takes it.
/// <para>
/// The outbox's own count (the <c>securebase.outbox.dead_letters</c> gauge of meter <see cref="MeterName"/>) is the store's,
/// cached: read again when it is older than <see cref="MaxAge"/> (the sender asks after each round, so other instances' dead
/// letters show within that time) and at once after this process gives a message up or replays one.
/// </para>
/// </summary>
public sealed class DeadLetters(IDeadLetterStore store, TimeProvider time, WorkSignals? signals = null)
{
    public const string MeterName = "SecureBase.Bot.Outbox";
    public const string GaugeName = "securebase.outbox.dead_letters";
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>The kinds of dead letter besides the work queues (whose kind is their queue's name).</summary>
    public const string MessageKind = "message";
    public const string TimerKind = "timer";

    private static readonly Meter Meter = new(MeterName);
    /// <summary>The process's service (one per host; the last one that read the store, when tests make several).</summary>
    private static DeadLetters? _reporting;

    static DeadLetters()
    {
        Meter.CreateObservableGauge(GaugeName, () => _reporting?._count is { } count ? [new Measurement<int>(count)] : Array.Empty<Measurement<int>>(),
            unit: "{message}", description: "Outbox messages given up (dead letters) waiting for an admin: /sb outbox lists and replays them.");
    }

    private int? _count;
    private DateTimeOffset _readAt;

    /// <summary>The last count of outbox dead letters read from the store; null before the first read.</summary>
    public int? LastKnownCount => _count;

    /// <summary>The outbox's dead letters, read from the store when the cached count is older than <paramref name="maxAge"/> (default: always).</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken, TimeSpan? maxAge = null)
    {
        if (_count is { } cached && maxAge is { } age && time.GetUtcNow() - _readAt < age) return cached;
        var count = await store.CountDeadLettersAsync(cancellationToken);
        _count = count;
        _readAt = time.GetUtcNow();
        Register();
        return count;
    }

    /// <summary>How many of each kind wait for an admin.</summary>
    public Task<DeadLetterCounts> CountAllAsync(CancellationToken cancellationToken) => store.CountAllDeadLettersAsync(cancellationToken);

    /// <summary>The outbox's dead letters, oldest first.</summary>
    public Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken) => store.ListDeadLettersAsync(max, cancellationToken);

    /// <summary>Every kind of dead letter, oldest given up first, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<DeadLetterEntry>> ListAllAsync(int max, CancellationToken cancellationToken)
    {
        var messages = Cards(await store.ListDeadLettersAsync(max, cancellationToken)).Select(c => Entry(c.Head) with { WaitingWithIt = c.Waiting });
        var work = (await store.ListDeadWorkAsync(max, cancellationToken)).Select(Entry);
        var timers = (await store.ListDeadTimersAsync(max, cancellationToken)).Select(Entry);
        return messages.Concat(work).Concat(timers).OrderBy(e => e.FailedAt).ThenBy(e => e.Id, StringComparer.Ordinal).Take(max).ToList();
    }

    /// <summary>
    /// Dead messages as people think of them: a card given up is listed once, with how many of its edits and thread lines wait with it
    /// (they come back with it when it is replayed); a message whose card is not among them stands alone.
    /// </summary>
    public static IReadOnlyList<(DeadLetter Head, int Waiting)> Cards(IReadOnlyList<DeadLetter> dead)
    {
        var cards = dead.Where(d => d.Message.UpdateKey is null && d.Message.ThreadUnderKey is null).Select(d => d.Message.Key).ToHashSet(StringComparer.Ordinal);
        string? CardOf(DeadLetter d) => d.Message.UpdateKey ?? d.Message.ThreadUnderKey;
        return dead.Where(d => CardOf(d) is not { } card || !cards.Contains(card))
            .Select(d => (d, d.Message.UpdateKey is null && d.Message.ThreadUnderKey is null ? dead.Count(o => CardOf(o) == d.Message.Key) : 0))
            .ToList();
    }

    /// <summary>Replays one outbox dead letter (see <see cref="IDeadLetterStore.ReplayDeadLetterAsync"/>) and wakes the sender.</summary>
    public async Task<DeadLetterReplay> ReplayAsync(string messageId, CancellationToken cancellationToken)
    {
        var result = await store.ReplayDeadLetterAsync(messageId, cancellationToken);
        if (result == DeadLetterReplay.Replayed) signals?.Outbox.Signal();
        await CountAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Replays the dead letter with this id, whatever its kind (a message, a work item, a timer): it runs again from a fresh count
    /// of attempts, and the pump that takes it is woken. <see cref="DeadLetterReplay.NotFound"/> when nothing given up has that id.
    /// </summary>
    public async Task<DeadLetterReplay> ReplayAnyAsync(string id, CancellationToken cancellationToken)
    {
        var message = await ReplayAsync(id, cancellationToken);
        if (message != DeadLetterReplay.NotFound) return message;
        if (await store.ReplayDeadWorkAsync(id, cancellationToken))
        {
            // The queue is not known here without a read: wake every work queue this process runs.
            signals?.AllQueues();
            return DeadLetterReplay.Replayed;
        }
        if (await store.ReplayDeadTimerAsync(id, cancellationToken))
        {
            signals?.Timers.Signal();
            return DeadLetterReplay.Replayed;
        }
        return DeadLetterReplay.NotFound;
    }

    /// <summary>This process gave a message up: the count is read again on the next ask.</summary>
    public void Changed() => _readAt = DateTimeOffset.MinValue;

    private void Register() => _reporting = this;

    private static DeadLetterEntry Entry(DeadLetter dead)
    {
        var m = dead.Message;
        var what = m.UpdateKey is not null ? "edit of a card" : m.ThreadUnderKey is not null ? "thread reply" : "message";
        return new DeadLetterEntry(MessageKind, m.Id, $"{what} to {m.Channel}", m.Text, dead.Error, m.Attempts, dead.FailedAt);
    }

    private static DeadLetterEntry Entry(WorkItem item)
    {
        string what;
        try
        {
            what = item.Queue == WorkQueues.Activities || item.Queue == WorkQueues.IncidentActivities
                ? ActivityEnvelope.FromJson(item.PayloadJson) is var envelope ? $"{envelope.Description} for {envelope.AggregateType} {envelope.AggregateId}" : ""
                : $"{item.AggregateType ?? item.Queue} {item.AggregateId}".Trim();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            what = "an item that cannot be read";
        }
        return new DeadLetterEntry(item.Queue, item.Id, what, null, item.LastError ?? "unknown", item.Attempts, item.DeadAt ?? item.CreatedAt);
    }

    private static DeadLetterEntry Entry(TimerRecord timer) =>
        new(TimerKind, timer.Id, $"{timer.Trigger} of {timer.AggregateType} {timer.AggregateId}, due {timer.DueAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC", null,
            timer.LastError ?? "unknown", timer.Attempts, timer.DeadAt ?? timer.DueAt);
}

/// <summary>
/// One dead letter, whatever its kind: <paramref name="Kind"/> is <see cref="DeadLetters.MessageKind"/>, <see cref="DeadLetters.TimerKind"/>
/// or a work queue's name; <paramref name="What"/> says what it was for, <paramref name="Text"/> how a message began.
/// </summary>
public sealed record DeadLetterEntry(string Kind, string Id, string What, string? Text, string Error, int Attempts, DateTimeOffset FailedAt)
{
    /// <summary>For a card's first post: how many of its edits and thread lines were given up with it (they come back with it).</summary>
    public int WaitingWithIt { get; init; }
}
