using Bot.Integrations.PagerDuty.Webhooks;
using Microsoft.Extensions.Logging;

namespace Bot.Integrations.PagerDuty;

/// <summary>
/// Where verified, durably stored PagerDuty webhook events go, one at a time, after the webhook was
/// answered. The Incident workflow implements this (replace the registration in DI). Delivery is
/// at-least-once: a throw leaves the event stored and it comes again later, so handling must be
/// idempotent (the event id is stable). Events of one incident arrive in the order PagerDuty sent them,
/// but an event can still be older than what the incident already shows (compare <c>OccurredAt</c>).
/// </summary>
public interface IPagerDutyEventSink
{
    Task HandleAsync(PagerDutyWebhookEvent webhookEvent, CancellationToken cancellationToken);
}

/// <summary>The default sink until the Incident workflow takes over: logs each event and drops it.</summary>
public sealed class LoggingPagerDutyEventSink(ILogger<LoggingPagerDutyEventSink> logger) : IPagerDutyEventSink
{
    public Task HandleAsync(PagerDutyWebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        logger.LogInformation("PagerDuty {EventType} ({EventId}) for incident {IncidentId}: no incident workflow yet, dropped",
            webhookEvent.EventType, webhookEvent.Id, webhookEvent.IncidentId ?? "-");
        return Task.CompletedTask;
    }
}
