using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Rest;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.Workflows.Engine;
using Bot.Workflows.Incidents;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Incidents;

/// <summary>
/// Turns PagerDuty's webhook events into the Incident workflow's triggers, after the webhook was stored and answered.
/// <list type="bullet">
/// <item>The first news of an incident opens its thread (<see cref="IncidentOpener"/>); if that news was more than the
/// trigger (it is acknowledged already, say), the incident catches up at once.</item>
/// <item>Webhooks carry no escalation level: for the events that may change it, the incident is read from the REST API
/// (<c>GET /incidents/{id}</c>, with its level from the policy's on-calls and its <c>pending_actions</c>).</item>
/// <item>Only SecureBase's incidents are followed (<c>PagerDuty__ServiceIds</c> / <c>__TeamIds</c>): news of an incident on
/// another team's service opens nothing.</item>
/// <item>Every event fires once: its event id is the trigger's idempotency key, and the inbox dedupes deliveries. News
/// older than what the incident shows (<c>occurred_at</c>) is refused by the incident; the echo of a change a button
/// made finds it done. A failure to read PagerDuty or a busy store throws, so the inbox delivers it again later; so does an
/// event whose key was claimed by an attempt that recorded no outcome (<see cref="OutcomeInDoubtException"/>): it is applied
/// once that claim is abandoned, never taken as handled.</item>
/// </list>
/// </summary>
public sealed class IncidentEventSink(WorkflowEngine engine, IAggregateStore store, IPager pager, IncidentOpener opener, IOptionsMonitor<PagerDutyOptions> pagerDuty,
    TimeProvider time, ILogger<IncidentEventSink> logger) : IPagerDutyEventSink
{
    public const int MaxNoteLength = 500;

    public async Task HandleAsync(PagerDutyWebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        if (webhookEvent.Kind == PagerDutyEventKind.Ping)
        {
            logger.LogInformation("PagerDuty webhook test (pagey.ping) received: the subscription reaches the bot");
            return;
        }
        if (webhookEvent.Kind == PagerDutyEventKind.Other || webhookEvent.IncidentId is not { } id) return;

        var news = await NewsAsync(webhookEvent, id, cancellationToken);
        var record = await store.LoadAsync(Incident.Type, id, cancellationToken);
        if (record is null)
        {
            if (!pagerDuty.CurrentValue.Scope.Covers(news.Incident.ServiceId, news.Incident.TeamIds))
            {
                logger.LogInformation("PagerDuty {EventType} for incident {Id} on service {ServiceId}, outside PagerDuty__ServiceIds / __TeamIds: ignored",
                    webhookEvent.EventType, id, news.Incident.ServiceId);
                return;
            }
            if (!news.Incident.IsOpen && webhookEvent.Kind != PagerDutyEventKind.Triggered)
            {
                logger.LogInformation("PagerDuty {EventType} for incident {Id}, which the bot never followed and is closed: ignored", webhookEvent.EventType, id);
                return;
            }
            var opened = await opener.OpenAsync(news, $"pagerduty-open:{id}", cancellationToken);
            record = await store.LoadAsync(Incident.Type, id, cancellationToken);
            if (record is null && opened.InDoubt) throw new OutcomeInDoubtException($"Incident {id} is being opened by an earlier attempt that has not finished (or died); it is tried again later.");
            if (record is null) throw new InvalidOperationException($"Incident {id} could not be opened.");
        }

        var trigger = TriggerOf(webhookEvent.Kind) ?? ((Incident)Incident.Definition.Restore(record)).CatchUp(news.Incident);
        if (trigger is null) return;
        var outcome = await engine.FireAsync(new WorkflowTrigger(Incident.Type, id, trigger.Value.ToString(), ActorOf(webhookEvent))
        {
            Source = TriggerSource.External,
            IdempotencyKey = $"pagerduty-event:{webhookEvent.Id}",
            RequestId = $"pagerduty:{webhookEvent.Id}",
            ArgumentsJson = news.ToJson(),
        }, cancellationToken);
        logger.LogInformation("PagerDuty {EventType} {EventId} for incident {Id}: {Trigger} {Outcome}", webhookEvent.EventType, webhookEvent.Id, id, trigger, outcome.Kind);
        if (outcome.Kind == FireOutcomeKind.Busy) throw new InvalidOperationException($"Incident {id} was too busy to take {webhookEvent.EventType}; it is delivered again later.");
        // Claimed before without an outcome: an earlier attempt died between its claim and its commit (or is still under way).
        // Not handled: delivered again, and applied once that claim is abandoned.
        if (outcome.InDoubt) throw new OutcomeInDoubtException($"PagerDuty {webhookEvent.EventType} {webhookEvent.Id} for incident {id} has no recorded outcome yet; it is delivered again later.");
    }

    /// <summary>The trigger an event kind fires on a followed incident; null for <c>incident.triggered</c> (its news is the opening).</summary>
    public static IncidentTrigger? TriggerOf(PagerDutyEventKind kind) => kind switch
    {
        PagerDutyEventKind.Acknowledged => IncidentTrigger.Acknowledged,
        PagerDutyEventKind.Unacknowledged => IncidentTrigger.Unacknowledged,
        PagerDutyEventKind.Escalated => IncidentTrigger.Escalated,
        PagerDutyEventKind.Reassigned => IncidentTrigger.Reassigned,
        PagerDutyEventKind.Delegated => IncidentTrigger.Delegated,
        PagerDutyEventKind.Resolved => IncidentTrigger.Resolved,
        PagerDutyEventKind.Reopened => IncidentTrigger.Reopened,
        PagerDutyEventKind.PriorityUpdated or PagerDutyEventKind.Annotated or PagerDutyEventKind.ResponderAdded or PagerDutyEventKind.ResponderReplied
            or PagerDutyEventKind.StatusUpdatePublished => IncidentTrigger.Updated,
        _ => null,
    };

    /// <summary>What the event says, with the incident as the REST API shows it when the level matters.</summary>
    private async Task<IncidentEvent> NewsAsync(PagerDutyWebhookEvent e, string id, CancellationToken cancellationToken)
    {
        var fromWebhook = e.Incident is { } w ? FromWebhook(w) : new PagerIncident(id, "", "");
        var needsLevel = e.Kind is PagerDutyEventKind.Triggered or PagerDutyEventKind.Escalated or PagerDutyEventKind.Unacknowledged
            or PagerDutyEventKind.Reopened or PagerDutyEventKind.Reassigned or PagerDutyEventKind.Delegated;
        var incident = needsLevel && await ReadAsync(e, id, cancellationToken) is { } live && live.Id == id ? live : fromWebhook;
        return new IncidentEvent(incident, e.OccurredAt ?? time.GetUtcNow(), e.Agent?.DisplayName, NoteOf(e), IncidentNewsSource.Webhook)
        {
            NoteId = e.Note?.Id ?? e.StatusUpdate?.Id,
            Icon = e.Kind == PagerDutyEventKind.StatusUpdatePublished ? "📣" : "📝",
        };
    }

    /// <summary>
    /// The incident as the REST API shows it. When PagerDuty's REST API fails, a trigger still opens its thread from the
    /// webhook's own data (on level 1; the reconciler and the next events enrich it); other events wait for the API.
    /// </summary>
    private async Task<PagerIncident?> ReadAsync(PagerDutyWebhookEvent e, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await pager.GetIncidentWithLevelAsync(id, cancellationToken);
        }
        catch (PortException failure) when (e.Kind == PagerDutyEventKind.Triggered && e.Incident is not null)
        {
            logger.LogWarning("PagerDuty's REST API failed to read incident {Id} ({Code}: {Reason}); its thread opens from the webhook's data", id, failure.Code, failure.Message);
            return null;
        }
    }

    private static PagerIncident FromWebhook(WebhookIncident w) => new(w.Id, w.Status ?? "", w.Title ?? "", w.HtmlUrl)
    {
        Number = w.Number,
        Service = w.Service?.DisplayName,
        ServiceId = w.Service?.Id,
        TeamIds = w.Teams.Select(t => t.Id).ToList(),
        EscalationPolicyId = w.EscalationPolicy?.Id,
        EscalationPolicy = w.EscalationPolicy?.DisplayName,
        Urgency = w.Urgency,
        Priority = w.Priority?.DisplayName,
        Assignees = w.Assignees.Select(a => a.DisplayName).Distinct().ToList(),
        CreatedAt = w.CreatedAt,
    };

    private static string? NoteOf(PagerDutyWebhookEvent e)
    {
        var who = e.Agent?.DisplayName ?? "PagerDuty";
        var text = e.Kind switch
        {
            PagerDutyEventKind.Annotated => $"Note by {who} in PagerDuty: {e.Note?.Content}",
            PagerDutyEventKind.PriorityUpdated => $"{who} set the priority to {e.Incident?.Priority?.DisplayName ?? "none"} in PagerDuty.",
            PagerDutyEventKind.ResponderAdded => $"{who} asked {e.Responder?.User?.DisplayName ?? "someone"} to help in PagerDuty.",
            PagerDutyEventKind.ResponderReplied => $"{e.Responder?.User?.DisplayName ?? who} {(e.Responder?.State?.ToLowerInvariant() switch
            {
                "accepted" or "joined" => "accepted",
                "declined" => "declined",
                { } state => "answered (" + state + ")",
                null => "answered",
            })} the request to help in PagerDuty{(string.IsNullOrWhiteSpace(e.Responder?.Message) ? "" : ": " + e.Responder!.Message)}.",
            PagerDutyEventKind.StatusUpdatePublished => $"Status update by {who} in PagerDuty: {e.StatusUpdate?.Message}",
            _ => null,
        };
        return text is { Length: > MaxNoteLength } ? text[..(MaxNoteLength - 1)] + "…" : text;
    }

    private static WorkflowActor ActorOf(PagerDutyWebhookEvent e) =>
        e.Agent is { } agent ? new WorkflowActor(agent.Id, agent.DisplayName, ActorKind.External) : IncidentOpener.PagerDuty;
}
