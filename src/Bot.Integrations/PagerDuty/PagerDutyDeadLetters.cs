using Bot.Workflows.Storage;

namespace Bot.Integrations.PagerDuty;

/// <summary>
/// PagerDuty webhook events the bot could not handle: each is retried with a growing wait (<see cref="Backoff"/>, at most
/// <see cref="MaxWait"/>) for <see cref="GiveUpAfter"/> from its arrival, then kept as a dead letter — never dropped
/// silently. A dead letter stays in the inbox's queue, due at <see cref="Buried"/> (so it is never claimed and no longer
/// holds back later events of its incident); <c>/sb status</c> counts them and <c>/sb inbox</c> lists and replays them (a
/// replay is a fresh copy of the event, due at once, retried for another day).
/// </summary>
public sealed class PagerDutyDeadLetters(IWorkQueueStore store, TimeProvider time)
{
    /// <summary>The inbox's queue (the host's <c>PagerDutyInbox.Queue</c>).</summary>
    public const string Queue = "pagerduty-webhooks";

    /// <summary>How long an event is retried before it becomes a dead letter.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(1);

    /// <summary>The longest wait between two attempts.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(15);

    /// <summary>When a dead letter is due: never.</summary>
    public static readonly DateTimeOffset Buried = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The most items looked at to find the dead letters (they sort last: due at <see cref="Buried"/>).</summary>
    public const int Window = 5000;

    private const string Prefix = "dead letter: ";

    public static bool IsDead(WorkItem item) => item.DueAt >= Buried;

    /// <summary>2 s, 4 s, 8 s … at most <see cref="MaxWait"/>.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(MaxWait.TotalSeconds, Math.Pow(2, Math.Clamp(attempts, 1, 20))));

    /// <summary>Whether an event that failed now is given up (it arrived more than <see cref="GiveUpAfter"/> ago).</summary>
    public bool GivesUp(WorkItem item) => time.GetUtcNow() - item.CreatedAt >= GiveUpAfter;

    /// <summary>Keeps the event as a dead letter (the caller holds its lease), with why it failed.</summary>
    public Task BuryAsync(WorkItem item, string error, CancellationToken cancellationToken) =>
        store.DeferWorkAsync(item, Buried, Prefix + error, cancellationToken);

    /// <summary>The dead letters, oldest first, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<WorkItem>> ListAsync(int max, CancellationToken cancellationToken) =>
        (await store.ListPendingWorkAsync(Queue, Window, cancellationToken)).Where(IsDead).OrderBy(i => i.CreatedAt).Take(max).ToList();

    public async Task<int> CountAsync(CancellationToken cancellationToken) => (await ListAsync(Window, cancellationToken)).Count;

    /// <summary>Why the dead letter failed last (its error without the marker).</summary>
    public static string Reason(WorkItem item) => item.LastError is { } error && error.StartsWith(Prefix, StringComparison.Ordinal) ? error[Prefix.Length..] : item.LastError ?? "unknown";

    /// <summary>
    /// Puts dead letter <paramref name="id"/> back: a copy of it, due at once and retried for another day, replaces it.
    /// False when there is no such dead letter (replayed already).
    /// </summary>
    public async Task<bool> ReplayAsync(string id, CancellationToken cancellationToken)
    {
        var dead = (await ListAsync(Window, cancellationToken)).FirstOrDefault(i => i.Id == id);
        if (dead is null) return false;
        var now = time.GetUtcNow();
        var copy = new WorkItem
        {
            Queue = Queue,
            Id = $"{OriginalId(dead.Id)}#replay-{now.UtcTicks}",
            PayloadJson = dead.PayloadJson,
            AggregateType = dead.AggregateType,
            AggregateId = dead.AggregateId,
            CreatedAt = now,
            DueAt = now,
        };
        if (!await store.EnqueueWorkAsync(copy, cancellationToken)) return false;
        await store.CompleteWorkAsync(new WorkCompletion(dead.Id, "replayed as " + copy.Id, now + GiveUpAfter * 7), cancellationToken);
        return true;
    }

    private static string OriginalId(string id) => id.Split("#replay-", 2)[0];
}
