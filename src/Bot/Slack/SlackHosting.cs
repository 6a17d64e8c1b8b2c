using Bot.Hosting;
using Bot.Commands.Routing;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.Slack;
using Bot.Slack;
using Bot.Slack.AppHome;
using Bot.Slack.SocketMode;
using Bot.Workflows.Idempotency;
using Bot.Workflows.Ports;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

/// <summary>The Slack transport: signature middleware, endpoints, Socket Mode, the work queue, the App Home, and Slack as the chat.</summary>
public static class SlackHosting
{
    public static IHostApplicationBuilder AddSlackTransport(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddTransient<SlackReplyChannelFactory>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackServerOptionsValidator>());
        services.AddOptions<SlackOptions>().ValidateOnStart();
        // PagerDuty's webhooks come to the public URL Slack's HTTP requests come to: over Socket Mode alone there is none,
        // and PagerDuty__WebhookSecret is not required (read unvalidated: Slack's own problems are reported by Slack's options).
        services.TryAddSingleton(sp => new PagerDutyWebhookReception(() =>
            (sp.GetRequiredService<IConfiguration>().GetSection(SlackOptions.Section).Get<SlackOptions>() ?? new SlackOptions()).ReceivesHttp));

        // The chat the domain's outbox and the scheduled reports post to.
        services.AddTransient<IChat, SlackChat>();
        services.AddTransient<IChannelPoster, SlackChat>();

        services.TryAddSingleton<SlackWorkQueue>();
        services.TryAddSingleton<SlackWorkQueueWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<SlackWorkQueueWorker>());
        services.TryAddSingleton<SlackReplayGuard>();
        services.TryAddTransient<SlackEventHandler>();
        services.TryAddSingleton<SlackDispatcher>();
        services.AddOptions<SocketModeOptions>().BindConfiguration(SocketModeOptions.Section)
            .Validate(o => o.IsValid(), "Slack:SocketMode needs 1 to 10 Connections and positive PingInterval, PingTimeout, HelloTimeout, backoffs and UnhealthyAfter.")
            .ValidateOnStart();
        services.TryAddSingleton<SocketModeEnvelopes>();
        services.TryAddSingleton<SocketModeClient>();
        services.AddHostedService(sp => sp.GetRequiredService<SocketModeClient>());
        // App Home: published when opened, refreshed when a change or an incident moves.
        services.TryAddTransient<AppHomeService>();
        services.TryAddSingleton<AppHomeViewers>();
        services.AddOptions<AppHomeOptions>().BindConfiguration(AppHomeOptions.Section)
            .Validate(o => o.RefreshInterval > TimeSpan.Zero, "Slack:AppHome:RefreshInterval must be positive.").ValidateOnStart();
        services.AddHostedService<AppHomeRefresher>();
        services.AddHealthChecks()
            .AddCheck<SlackWorkQueueHealthCheck>("slack-workers", tags: [Probes.ReadyTag])
            .AddCheck<SocketModeHealthCheck>(SocketModeHealthCheck.Name, tags: [Probes.ReadyTag, Probes.LiveTag]);
        return builder;
    }

    public static WebApplication MapSlackEndpoints(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(SlackRoutes.Prefix, StringComparison.OrdinalIgnoreCase),
            branch => branch.UseMiddleware<SlackSignatureMiddleware>());
        app.MapPost(SlackRoutes.Commands, SlackEndpoints.Commands);
        app.MapPost(SlackRoutes.Interactions, SlackEndpoints.Interactions);
        app.MapPost(SlackRoutes.Events, SlackEndpoints.Events);
        return app;
    }
}
