using Bot.Commands;
using Bot.Commands.Rehearsal;
using Bot.Integrations.Aws;
using Bot.Integrations.PagerDuty;
using Bot.PagerDuty;
using Bot.Rehearsal;
using Bot.Sandbox;
using Bot.Sandbox.Account;
using Bot.Sandbox.Hosting;
using Bot.Sandbox.PagerDuty;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Hosting;

/// <summary>The sandbox account, when the bot rehearses against it instead of AWS and PagerDuty.</summary>
public static class SandboxHosting
{
    public const string SandboxSwitch = "--sandbox";

    /// <summary>
    /// With <c>Sandbox:Enabled=true</c> (the shell's default) or <c>--sandbox</c> on the command line, the sandbox
    /// account is hosted in-process and every AWS client is pointed at it with sandbox keys; PagerDuty is the sandbox's
    /// (its token, webhook secret, bot user, policy and routing keys, even when real PagerDuty settings are in the
    /// environment: a shell on a production box must not page for real, nor hand the real token to the sandbox) and its
    /// webhooks are delivered to this bot; the daily security checks read the sandbox's CloudTrail log group; the <c>/sb sandbox</c> rehearsals exist. Shell users may approve changes only
    /// in the rehearsal account (<see cref="CloudAccount"/>). The choice is read when the services are built, so
    /// configuration added late (tests) counts.
    /// </summary>
    public static IHostApplicationBuilder AddSandbox(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => new CloudAccount(SandboxEnabled(sp.GetRequiredService<IConfiguration>())));
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.SectionName);
        services.TryAddSingleton(sp => new SandboxAccount(sp.GetRequiredService<IOptions<SandboxOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<InProcessSandbox>();
        services.AddHostedService(sp => sp.GetRequiredService<InProcessSandbox>());
        services.AddSingleton<IAwsEndpointOverride>(sp =>
            SandboxEnabled(sp.GetRequiredService<IConfiguration>()) ? sp.GetRequiredService<InProcessSandbox>() : null!);
        services.AddSingleton<IPagerDutyEndpointOverride>(sp =>
            SandboxEnabled(sp.GetRequiredService<IConfiguration>()) ? new SandboxPagerDutyEndpoint(sp.GetRequiredService<InProcessSandbox>()) : null!);
        services.AddHostedService<SandboxWebhookSubscription>();

        // Sandbox keys and region, unless the configuration names others (e.g. the sandbox's denied key in a test).
        services.AddOptions<AwsOptions>().PostConfigure<IConfiguration, IOptions<SandboxOptions>>((aws, configuration, sandbox) =>
        {
            if (!SandboxEnabled(configuration)) return;
            if (string.IsNullOrEmpty(aws.AccessKeyId))
            {
                aws.AccessKeyId = sandbox.Value.AccessKeyId;
                aws.SecretAccessKey = sandbox.Value.SecretAccessKey;
                aws.SessionToken = null;
            }
            if (string.IsNullOrEmpty(aws.Region)) aws.Region = sandbox.Value.Region;
        });
        // The sandbox account's id names its reports buckets (securebase-<env>-reports-<account>).
        services.AddOptions<Bot.Commands.Cloud.SecureBaseOptions>().PostConfigure<IConfiguration, IOptions<SandboxOptions>>((secureBase, configuration, sandbox) =>
        {
            if (SandboxEnabled(configuration) && string.IsNullOrWhiteSpace(secureBase.AccountId)) secureBase.AccountId = sandbox.Value.AccountId;
        });
        services.AddOptions<PagerDutyOptions>().PostConfigure<IConfiguration, IOptions<SandboxOptions>>((pagerDuty, configuration, sandbox) =>
        {
            if (!SandboxEnabled(configuration)) return;
            pagerDuty.ApiToken = sandbox.Value.PagerDuty.ApiToken;
            pagerDuty.WebhookSecret = sandbox.Value.PagerDuty.WebhookSecret;
            pagerDuty.FromEmail = PagerDutyDirectory.Bot.Email;
            pagerDuty.EscalationPolicyId = PagerDutyDirectory.PolicyId;
            pagerDuty.RoutingKeys.Clear();
            foreach (var service in PagerDutyDirectory.Services) pagerDuty.RoutingKeys[service.Name] = service.RoutingKey;
            // The sandbox's SecureBase services and team: its other team's incidents are not followed.
            pagerDuty.ServiceIds = PagerDutyDirectory.Services.Select(s => s.Id).ToList();
            pagerDuty.TeamIds = [PagerDutyDirectory.TeamId];
        });

        // The sandbox's CloudTrail trail is what the daily security checks read, unless another group is configured.
        services.AddOptions<Bot.Commands.Security.SecurityOptions>().PostConfigure<IConfiguration>((security, configuration) =>
        {
            if (SandboxEnabled(configuration) && string.IsNullOrWhiteSpace(security.CloudTrailLogGroup)) security.CloudTrailLogGroup = SandboxAccount.CloudTrailLogGroup;
        });

        // Rehearsals need the sandbox; a bot on real AWS must not even list the verb.
        if (SandboxEnabled(builder.Configuration))
        {
            services.TryAddSingleton<IRehearsalAccount, SandboxRehearsalAccount>();
            services.AddCommand<SandboxCommand>();
        }
        return builder;
    }

    public static bool SandboxEnabled(IConfiguration configuration) =>
        configuration.GetValue<bool>("Sandbox:Enabled") || Environment.GetCommandLineArgs().Contains(SandboxSwitch, StringComparer.OrdinalIgnoreCase);

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

/// <summary>
/// Serves the sandbox account on loopback while the host runs (only when the sandbox is enabled),
/// and sends every AWS call there once it listens.
/// </summary>
public sealed class InProcessSandbox(IServiceProvider services, IConfiguration configuration, ILoggerFactory loggers) : IHostedService, IAwsEndpointOverride, IAsyncDisposable
{
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SandboxServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!SandboxHosting.SandboxEnabled(configuration)) return;
        try
        {
            _server = await SandboxServer.StartAsync(services.GetRequiredService<SandboxAccount>(), loggers, cancellationToken);
            loggers.CreateLogger<InProcessSandbox>().LogInformation("Sandbox AWS account listening on {Address}; the AWS commands use it", _server.BaseAddress);
            _address.TrySetResult(_server.BaseAddress);
        }
        catch (Exception e)
        {
            _address.TrySetException(e);
            throw;
        }
    }

    public async ValueTask<Uri> GetEndpointAsync(CancellationToken cancellationToken) =>
        await _address.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
