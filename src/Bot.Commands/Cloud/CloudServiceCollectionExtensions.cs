using Bot.Integrations.Aws;
using Bot.Commands.Cloud.Alarms;
using Bot.Commands.Cloud.Cost;
using Bot.Commands.Cloud.Health;
using Bot.Commands.Cloud.Invoke;
using Bot.Commands.Cloud.Logs;
using Bot.Commands.Cloud.Metrics;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Commands.Cloud;

public static class CloudServiceCollectionExtensions
{
    /// <summary>
    /// The cloud commands (<c>health</c>, <c>logs</c>, <c>alarms</c>, <c>metrics</c>, <c>cost</c>, and <c>invoke</c>,
    /// which runs staging code but never prod's),
    /// the AWS clients they use, and <see cref="SecureBaseOptions"/> from the <c>SecureBase</c> section.
    /// </summary>
    public static IServiceCollection AddCloudCommandHandlers(this IServiceCollection services)
    {
        services.AddAwsClients();
        services.AddOptions<SecureBaseOptions>().BindConfiguration(SecureBaseOptions.Section)
            .PostConfigure(o => o.ApplyDefaults())
            .Validate(o => o.Environments.ContainsKey(o.DefaultEnvironment), "SecureBase:DefaultEnvironment must name a configured environment.")
            .Validate(o => o.HealthProbeTimeout > TimeSpan.Zero && o.HealthProbeTimeout <= TimeSpan.FromMinutes(1), "SecureBase:HealthProbeTimeout must be between 0 and 1 minute.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HealthProbes>();
        services.TryAddSingleton<HealthCheckRunner>();
        services.TryAddSingleton<IHealthReporter, HealthReporter>();
        services.AddCommand<HealthCommand>();
        services.AddCommand<LogsCommand>();
        services.AddCommand<AlarmsCommand>();
        services.AddCommand<MetricsCommand>();
        services.AddCommand<CostCommand>();
        services.AddCommand<InvokeCommand>();
        return services;
    }
}
