using Refit;

namespace Bot.Integrations.PagerDuty.Events;

/// <summary>The Events API v2 (<c>https://events.pagerduty.com/v2/enqueue</c>). Authorized by the routing key in the body.</summary>
public interface IPagerDutyEventsApi
{
    [Post("/v2/enqueue")]
    Task<IApiResponse<EnqueueResponse>> EnqueueAsync([Body] EnqueueRequest request, CancellationToken cancellationToken);
}
