namespace Bot.Commands.Cloud.Health;

/// <summary>Runs the health check of one environment (used by <c>/sb health</c> and the daily report).</summary>
public interface IHealthReporter
{
    /// <summary>The report for <paramref name="environment"/> (the default one when null); unknown names throw a user-facing error.</summary>
    Task<HealthReport> RunAsync(string? environment, CancellationToken cancellationToken);
}

public sealed class HealthReporter(HealthProbes probes, HealthCheckRunner runner, Microsoft.Extensions.Options.IOptions<SecureBaseOptions> options) : IHealthReporter
{
    public Task<HealthReport> RunAsync(string? environment, CancellationToken cancellationToken)
    {
        var env = options.Value.Get(environment);
        return runner.RunAsync(env.Name, probes.For(env), options.Value.HealthProbeTimeout, cancellationToken);
    }
}
