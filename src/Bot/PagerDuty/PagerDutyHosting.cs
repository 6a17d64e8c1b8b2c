using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Commands.Incidents;
using Bot.Integrations.PagerDuty;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.PagerDuty;

/// <summary>PagerDuty: the clients, the webhook endpoint's inbox and the worker that hands events on.</summary>
public static class PagerDutyHosting
{
    /// <summary>
    /// The PagerDuty clients and options (optional: validated only when a PagerDuty setting is given), the durable
    /// webhook inbox over the workflow store, and the worker that hands stored events to <see cref="IPagerDutyEventSink"/>
    /// (by default one that logs and drops; the Incident workflow registers its own). With the sandbox on, PagerDuty
    /// is the sandbox's (see <see cref="SandboxPagerDutyHosting"/>).
    /// </summary>
    public static IHostApplicationBuilder AddPagerDuty(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddPagerDutyClients();
        services.AddCommand<Bot.Commands.Incidents.OnCallCommand>();
        services.TryAddSingleton<PagerDutyInbox>();
        services.TryAddSingleton<PagerDutyInboxProcessor>();
        services.AddHostedService<PagerDutyInboxService>();
        builder.AddSandboxPagerDuty();
        return builder;
    }

    /// <summary>
    /// PagerDuty incidents as threads (the Incident workflow takes the inbox's events) and the reconciler that polls
    /// PagerDuty's open incidents. After <see cref="AddPagerDuty"/>.
    /// </summary>
    public static IHostApplicationBuilder AddIncidents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddIncidentWorkflow();
        builder.Services.AddHostedService<Bot.Workers.IncidentReconcilerService>();
        return builder;
    }

    /// <summary><c>POST /pagerduty/webhooks</c>.</summary>
    public static WebApplication MapPagerDutyWebhooks(this WebApplication app)
    {
        app.MapPost(PagerDutyRoutes.Webhooks, PagerDutyWebhookEndpoint.HandleAsync);
        return app;
    }
}
