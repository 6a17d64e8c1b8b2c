using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.PagerDuty;

/// <summary>PagerDuty's way in: the webhook endpoint, its durable inbox, and the worker that hands stored events on.</summary>
public static class PagerDutyHosting
{
    /// <summary>
    /// The durable webhook inbox over the workflow store (the endpoint writes to it before it answers) and the worker
    /// that hands stored events to the incidents' sink, one incident's events in order.
    /// </summary>
    public static IServiceCollection AddPagerDutyInbox(this IServiceCollection services)
    {
        services.TryAddSingleton<PagerDutyInbox>();
        services.TryAddSingleton<PagerDutyInboxProcessor>();
        services.AddHostedService<PagerDutyInboxService>();
        return services;
    }

    /// <summary><c>POST /pagerduty/webhooks</c>.</summary>
    public static WebApplication MapPagerDutyWebhooks(this WebApplication app)
    {
        app.MapPost(PagerDutyRoutes.Webhooks, PagerDutyWebhookEndpoint.HandleAsync);
        return app;
    }
}
