using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bot.Slack.SocketMode;

/// <summary>
/// Whether Slack can reach this instance over Socket Mode: Healthy while a connection is open (or Socket Mode is off),
/// Degraded while none has been open for less than <see cref="SocketModeOptions.UnhealthyAfter"/> (a reconnection under
/// way), Unhealthy after that (a revoked or wrong <c>xapp-</c> token, Slack unreachable). Part of readiness and of
/// liveness: an instance that hears nothing from Slack is replaced.
/// </summary>
public sealed class SocketModeHealthCheck(SocketModeClient client, IOptions<SocketModeOptions> options, TimeProvider time) : IHealthCheck
{
    public const string Name = "slack-connections";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!client.Enabled) return Task.FromResult(HealthCheckResult.Healthy("Socket Mode off"));
        if (client.NoConnectionSince is not { } since)
            return Task.FromResult(HealthCheckResult.Healthy($"{client.OpenConnections} of {client.WantedConnections} connection(s) open"));
        var down = time.GetUtcNow() - since;
        var words = $"no connection open for {Math.Max(0, (long)down.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s";
        return Task.FromResult(down >= options.Value.UnhealthyAfter ? HealthCheckResult.Unhealthy(words) : HealthCheckResult.Degraded(words));
    }
}
