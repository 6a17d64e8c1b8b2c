using System.Text.Json;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.Workflows.Storage;
using Bot.Workflows.Wakeups;

namespace Bot.PagerDuty;

/// <summary>What became of a verified delivery.</summary>
public enum InboxAdmission { Stored, Duplicate, Ignored }

/// <summary>
/// The durable inbox of PagerDuty webhook events: the store's work queue <see cref="Queue"/>, one item per
/// event id. A delivery is stored before it is answered, so an event PagerDuty was told we have is never
/// lost, in ONE store write (the item's insert: a storm's webhooks are answered fast). Repeats are recognised by the
/// event id, which every V3 delivery has and which is the same on PagerDuty's retries of a delivery and when two
/// subscriptions deliver one event: the item, or its tombstone for <see cref="Retention"/> after it was handled, is
/// already there. The store's failures are thrown, for the endpoint to answer 5xx and PagerDuty to retry.
/// </summary>
public sealed class PagerDutyInbox(IWorkQueueStore store, TimeProvider time, WorkSignals? signals = null)
{
    /// <summary>A queue of its own: a claim takes items of one queue, so each consumer has its queue.</summary>
    public const string Queue = WorkQueues.PagerDutyEvents;

    /// <summary>The aggregate type items carry, with the incident id as aggregate id (events of one incident are handled in order).</summary>
    public const string IncidentAggregate = "pagerduty-incident";

    /// <summary>How long delivery and event ids are remembered (PagerDuty stops retrying after about 20 minutes).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    /// <summary>Ids longer than this are not PagerDuty's.</summary>
    public const int MaxIdLength = 200;

    /// <summary>What wakes the inbox's processor in this process when an event is stored.</summary>
    public Wakeup Arrivals { get; } = (signals ?? new WorkSignals()).Queue(Queue);

    public static string ItemId(string eventId) => "pagerduty:" + eventId;

    /// <summary>Stores <paramref name="webhookEvent"/> (events the bot does not act on are only acknowledged).</summary>
    public async Task<InboxAdmission> AdmitAsync(string? webhookId, PagerDutyWebhookEvent webhookEvent, byte[] body, CancellationToken cancellationToken)
    {
        if (webhookEvent.Kind == PagerDutyEventKind.Other) return InboxAdmission.Ignored;

        var now = time.GetUtcNow();
        var added = await store.EnqueueWorkAsync(new WorkItem
        {
            Queue = Queue,
            Id = ItemId(webhookEvent.Id),
            PayloadJson = JsonSerializer.Serialize(new StoredDelivery(webhookId is { Length: <= MaxIdLength } ? webhookId : null, now, System.Text.Encoding.UTF8.GetString(body))),
            AggregateType = webhookEvent.IncidentId is null ? null : IncidentAggregate,
            AggregateId = webhookEvent.IncidentId,
            CreatedAt = now,
            DueAt = now,
        }, cancellationToken);
        if (added) Arrivals.Signal();
        return added ? InboxAdmission.Stored : InboxAdmission.Duplicate;
    }

    /// <summary>A delivery as stored: who sent it (<c>X-Webhook-Id</c>), when it arrived, and the raw body.</summary>
    public sealed record StoredDelivery(string? WebhookId, DateTimeOffset ReceivedAt, string Body);
}
