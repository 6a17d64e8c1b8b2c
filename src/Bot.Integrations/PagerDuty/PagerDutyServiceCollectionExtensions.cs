using System.Net.Http.Headers;

using Bot.Integrations.PagerDuty.Events;
using Bot.Integrations.PagerDuty.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Bot.Integrations.Slack;
using Refit;

namespace Bot.Integrations.PagerDuty;

public static class PagerDutyServiceCollectionExtensions
{
    /// <summary>
    /// The PagerDuty clients (<see cref="PagerDutyClient"/> for REST API v2, <see cref="PagerDutyEventsClient"/>
    /// for Events API v2), <see cref="PagerDutyOptions"/> from section <c>PagerDuty</c> validated on start
    /// (only when any PagerDuty setting is given: PagerDuty is optional), and <see cref="Bot.Workflows.Ports.IPager"/> over them.
    /// </summary>
    public static IServiceCollection AddPagerDutyClients(this IServiceCollection services)
    {
        services.AddOptions<PagerDutyOptions>().BindConfiguration(PagerDutyOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PagerDutyOptions>, PagerDutyOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        var settings = new RefitSettings(new SystemTextJsonContentSerializer(PagerDutyJson.Options));
        services.AddRefitGeneratedClient<IPagerDutyRestApi>(settings)
            .ConfigureHttpClient((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<PagerDutyOptions>>().CurrentValue;
                client.BaseAddress = PagerDutyOptions.BaseAddress(options.ApiBaseUrl, PagerDutyOptions.DefaultApiBaseUrl);
                if (!string.IsNullOrWhiteSpace(options.ApiToken))
                    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", "token=" + options.ApiToken.Trim());
            })
            .AddHttpMessageHandler(sp => new PagerDutyEndpointOverrideHandler(sp.GetService<IPagerDutyEndpointOverride>(), sp.GetRequiredService<IOptionsMonitor<PagerDutyOptions>>(), events: false))
            // Innermost, below the logging handlers (which re-format the header when they read it).
            .ConfigurePrimaryHttpMessageHandler(() => new PagerDutyHeadersHandler { InnerHandler = new SocketsHttpHandler() })
            .AddPagerDutyResilience("pagerduty-rest", retryPosts: false)
            // Inside the retries: every attempt takes its turn in the instance's one budget, and a 429 holds every caller.
            .AddHttpMessageHandler(sp => new PagerDutyRateBudgetHandler(sp.GetRequiredService<PagerDutyRateBudget>(), sp.GetRequiredService<TimeProvider>()))
            .RemoveAllLoggers().AddLogger<PagerDutyHttpLogger>(wrapHandlersPipeline: true);
        services.AddRefitGeneratedClient<IPagerDutyEventsApi>(settings)
            .ConfigureHttpClient((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<PagerDutyOptions>>().CurrentValue;
                client.BaseAddress = PagerDutyOptions.BaseAddress(options.EventsBaseUrl, PagerDutyOptions.DefaultEventsBaseUrl);
            })
            .AddHttpMessageHandler(sp => new PagerDutyEndpointOverrideHandler(sp.GetService<IPagerDutyEndpointOverride>(), sp.GetRequiredService<IOptionsMonitor<PagerDutyOptions>>(), events: true))
            .AddPagerDutyResilience("pagerduty-events", retryPosts: true)
            .RemoveAllLoggers().AddLogger<PagerDutyHttpLogger>(wrapHandlersPipeline: true);

        services.TryAddSingleton<PagerDutyHttpLogger>();
        services.TryAddSingleton<PagerDutyRateBudget>();
        services.TryAddSingleton<Bot.Workflows.Ports.IPager, PagerDutyPager>();
        services.TryAddTransient<PagerDutyClient>();
        services.TryAddTransient<PagerDutyEventsClient>();
        return services;
    }

    private sealed class PagerDutyOptionsValidator(IServiceProvider services) : IValidateOptions<PagerDutyOptions>
    {
        public ValidateOptionsResult Validate(string? name, PagerDutyOptions options) =>
            options.Problems(services.GetService<PagerDutyWebhookReception>()?.ReceivesWebhooks() ?? false) is { Count: > 0 } problems
                ? ValidateOptionsResult.Fail(problems)
                : ValidateOptionsResult.Success;
    }
}
