using Bot.Integrations.PagerDuty.Webhooks;

namespace Bot.Integrations.PagerDuty;

/// <summary>
/// Where verified, durably stored PagerDuty webhook events go, one at a time, after the webhook was
/// answered. The incident commands implement it (<c>IncidentEventSink</c>). Delivery is
/// at-least-once: a throw leaves the event stored and it comes again later, so handling must be
/// idempotent (the event id is stable). Events of one incident arrive in the order PagerDuty sent them,
/// but an event can still be older than what the incident already shows (compare <c>OccurredAt</c>).
/// </summary>
public interface IPagerDutyEventSink
{
    Task HandleAsync(PagerDutyWebhookEvent webhookEvent, CancellationToken cancellationToken);
}
