using Bot.Integrations.Aws;
using Bot.Commands.Changes;
using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Sandbox;
using Bot.Rehearsal;
using Bot.Sandbox.Account;
using Bot.Sandbox.Hosting;
using Bot.Workers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Hosting;

/// <summary>AWS clients, the sandbox account, and the read-only cloud commands.</summary>
public static class CloudHosting
{
    public const string SandboxSwitch = "--sandbox";

    /// <summary>
    /// The cloud commands and their AWS clients, and the daily health report. With
    /// <c>Sandbox:Enabled=true</c> (the shell's default) or <c>--sandbox</c> on the command line, the
    /// sandbox account is hosted in-process and every AWS client is pointed at it with sandbox keys.
    /// The choice is read when the services are built, so configuration added late (tests) counts.
    /// </summary>
    public static IHostApplicationBuilder AddCloudCommands(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCloudCommandHandlers();
        builder.Services.AddSandboxWhenEnabled();
        // Shell users may approve changes only in the rehearsal (sandbox) account.
        builder.Services.AddSingleton(sp => new CloudAccount(SandboxEnabled(sp.GetRequiredService<IConfiguration>())));
        builder.Services.AddChangeWorkflow();
        // Rehearsals need the sandbox; a bot on real AWS must not even list the verb.
        if (SandboxEnabled(builder.Configuration)) builder.Services.AddCommand<SandboxCommand>();

        builder.Services.AddOptions<DailyHealthReportOptions>().BindConfiguration(DailyHealthReportOptions.Section)
            .Validate(o => o.IsValid(out _), "Reports:DailyHealth needs a valid Cron and TimeZone (e.g. \"0 9 * * 1-5\" and \"Europe/London\").")
            .ValidateOnStart();
        builder.Services.AddHostedService<DailyHealthReport>();
        return builder;
    }

    public static bool SandboxEnabled(IConfiguration configuration) =>
        configuration.GetValue<bool>("Sandbox:Enabled") || Environment.GetCommandLineArgs().Contains(SandboxSwitch, StringComparer.OrdinalIgnoreCase);

    private static void AddSandboxWhenEnabled(this IServiceCollection services)
    {
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.SectionName);
        services.TryAddSingleton(sp => new SandboxAccount(sp.GetRequiredService<IOptions<SandboxOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<InProcessSandbox>();
        services.AddHostedService(sp => sp.GetRequiredService<InProcessSandbox>());
        services.AddSingleton<IAwsEndpointOverride>(sp =>
            SandboxEnabled(sp.GetRequiredService<IConfiguration>()) ? sp.GetRequiredService<InProcessSandbox>() : null!);

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
        if (!CloudHosting.SandboxEnabled(configuration)) return;
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
