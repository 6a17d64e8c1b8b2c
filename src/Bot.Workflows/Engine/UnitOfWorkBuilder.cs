using System.Security.Cryptography;
using System.Text.Json;
using Bot.Workflows.Activities;
using Bot.Workflows.Audit;
using Bot.Workflows.Messages;
using Bot.Workflows.Storage;

namespace Bot.Workflows.Engine;

/// <summary>Turns what a transition recorded into the unit of work the store saves atomically.</summary>
internal static class UnitOfWorkBuilder
{
    /// <summary>How long a finished activity's id is remembered (a late duplicate of it is recognised).</summary>
    public static readonly TimeSpan ForgetWorkAfter = TimeSpan.FromDays(7);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static UnitOfWork Build(IWorkflow aggregate, long expectedVersion, TransitionResult result, string action, FireContext context, TimerRecord? firedTimer, DateTimeOffset now)
    {
        var effects = aggregate.TakeEffects();
        var newVersion = expectedVersion + 1;

        // The card first: the timeline threads under it, so it must be the first message of its channel.
        var drafts = new List<OutboxDraft>();
        // A transition that leaves the card's content as it was does not edit it, so a card stays clickable while
        // nothing it shows has changed (e.g. a verification tick).
        if (aggregate.RenderCard() is { } card && aggregate.CardChannel is { } cardChannel)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(card with { Ref = null }, Json)));
            // A card never shown before (a new aggregate, or one that gets a card later) is posted; one on screen is edited.
            var first = expectedVersion == 0 || aggregate.CardHash is null;
            if (first || hash != aggregate.CardHash)
            {
                aggregate.CardShown(newVersion, hash);
                var stamped = card with { Ref = new CardRef(aggregate.AggregateType, aggregate.Id, newVersion) };
                drafts.Add(first
                    ? new OutboxDraft { Channel = cardChannel, Content = ChatContent.Of(stamped), Key = aggregate.CardKey }
                    : new OutboxDraft { Channel = cardChannel, Content = ChatContent.Of(stamped), UpdateKey = aggregate.CardKey });
            }
        }
        drafts.AddRange(effects.Messages);

        var messages = drafts.Select((m, i) =>
        {
            var id = Guid.NewGuid().ToString("N");
            return new OutboxMessage
            {
                Id = id,
                Sequence = i, // the store assigns the real, global order
                Key = m.Key ?? id,
                Channel = m.Channel,
                Text = m.Content.ToPlainText(),
                ContentJson = JsonSerializer.Serialize(m.Content, Json),
                ThreadUnderKey = m.ThreadUnderKey,
                UpdateKey = m.UpdateKey,
                Urgent = m.Urgent && m.ThreadUnderKey is null && m.UpdateKey is null,
                CreatedAt = now,
            };
        }).ToList();

        var timers = effects.TimersToSet.Select(t => new TimerRecord(
            TimerRecord.IdFor(aggregate.AggregateType, aggregate.Id, t.Name), aggregate.AggregateType, aggregate.Id,
            t.Trigger, t.Expectation, t.DueAt, Guid.NewGuid().ToString("N"))).ToList();

        var activities = effects.Activities.Select(a => ActivityItem(aggregate, a, newVersion, now)).ToList();

        var details = new Dictionary<string, string?>(effects.AuditDetails, StringComparer.Ordinal);
        if (context.Expectation is not null) details["expectation"] = context.Expectation;
        if (firedTimer is not null) details["timer"] = firedTimer.Id;
        if (context.Source != TriggerSource.Person) details["source"] = context.Source.ToString();
        if (context.Activity is { } outcome)
        {
            details["activity"] = outcome.ActivityId;
            details["activityResult"] = outcome.Succeeded ? "succeeded" : $"failed: {outcome.Code}";
        }
        foreach (var a in effects.Activities) details[$"runs:{a.Name}"] = a.Activity.Describe();

        return new UnitOfWork
        {
            Aggregate = aggregate.ToRecord(now),
            ExpectedVersion = expectedVersion,
            Audit = new AuditDraft
            {
                At = now,
                ActorId = context.Actor.UserId,
                ActorName = context.Actor.UserName,
                Action = action,
                AggregateType = aggregate.AggregateType,
                AggregateId = aggregate.Id,
                Before = result.Before,
                After = result.After,
                RequestId = context.RequestId,
                DetailsJson = details.Count == 0 ? null : JsonSerializer.Serialize(details),
            },
            Messages = messages,
            TimersToSet = timers,
            TimersToCancel = effects.TimersToCancel.Select(n => TimerRecord.IdFor(aggregate.AggregateType, aggregate.Id, n)).ToList(),
            FiredTimer = firedTimer,
            WorkToAdd = activities,
        };
    }

    /// <summary>The activity's work item. Its id is deterministic (aggregate, name, version), so a repeated save cannot add it twice.</summary>
    private static WorkItem ActivityItem(IWorkflow aggregate, ActivityDraft draft, long version, DateTimeOffset now)
    {
        var envelope = new ActivityEnvelope(aggregate.AggregateType, aggregate.Id, draft.Activity.Kind,
            JsonSerializer.Serialize(draft.Activity, draft.Activity.GetType(), Json), draft.Activity.Describe(), draft.OnSucceeded, draft.OnFailed);
        return new WorkItem
        {
            Queue = aggregate.ActivityQueue,
            Id = $"{aggregate.AggregateType}/{aggregate.Id}/{draft.Name}@{version}",
            PayloadJson = envelope.ToJson(),
            AggregateType = aggregate.AggregateType,
            AggregateId = aggregate.Id,
            CreatedAt = now,
            DueAt = now,
        };
    }
}
