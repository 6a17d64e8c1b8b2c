using Bot.Integrations.PagerDuty;
using Bot.Hosting;
using Bot.Sandbox;
using Bot.Sandbox.PagerDuty;
using Microsoft.Extensions.Options;

namespace Bot.PagerDuty;

/// <summary>
/// With the sandbox on (the shell, or <c>--sandbox</c>), PagerDuty is the sandbox's: the clients go to its
/// <c>/pagerduty/</c> and <c>/pagerduty-events/</c> (as the AWS clients go to its AWS endpoint) with its token,
/// webhook secret, bot user, escalation policy and routing keys, even when real PagerDuty settings are in the
/// environment (a shell on a production box must not page or acknowledge for real, nor hand the real token to
/// the sandbox), and its webhooks are delivered to this bot (<see cref="SandboxWebhookSubscription"/>).
/// </summary>
internal static class SandboxPagerDutyHosting
{
    public static IHostApplicationBuilder AddSandboxPagerDuty(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PagerDutyOptions>().PostConfigure<IConfiguration, IOptions<SandboxOptions>>((pagerDuty, configuration, sandbox) =>
        {
            if (!CloudHosting.SandboxEnabled(configuration)) return;
            pagerDuty.ApiToken = sandbox.Value.PagerDuty.ApiToken;
            pagerDuty.WebhookSecret = sandbox.Value.PagerDuty.WebhookSecret;
            pagerDuty.FromEmail = PagerDutyDirectory.Bot.Email;
            pagerDuty.EscalationPolicyId = PagerDutyDirectory.PolicyId;
            pagerDuty.RoutingKeys.Clear();
            foreach (var service in PagerDutyDirectory.Services) pagerDuty.RoutingKeys[service.Name] = service.RoutingKey;
        });
        services.AddSingleton<IPagerDutyEndpointOverride>(sp =>
            CloudHosting.SandboxEnabled(sp.GetRequiredService<IConfiguration>()) ? new SandboxPagerDutyEndpoint(sp.GetRequiredService<InProcessSandbox>()) : null!);
        services.AddHostedService<SandboxWebhookSubscription>();
        return builder;
    }

    /// <summary>The sandbox's PagerDuty APIs, once it listens.</summary>
    private sealed class SandboxPagerDutyEndpoint(InProcessSandbox sandbox) : IPagerDutyEndpointOverride
    {
        public async ValueTask<(Uri Api, Uri Events)> GetBaseUrlsAsync(CancellationToken cancellationToken)
        {
            var address = await sandbox.GetEndpointAsync(cancellationToken);
            return (new Uri(address, "pagerduty/"), new Uri(address, "pagerduty-events/"));
        }
    }
}
