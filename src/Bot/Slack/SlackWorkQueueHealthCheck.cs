using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bot.Slack;

/// <summary>Ready when the workers that run Slack requests are running.</summary>
public sealed class SlackWorkQueueHealthCheck(SlackWorkQueueWorker worker, SlackWorkQueue queue) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(worker.IsRunning
            ? HealthCheckResult.Healthy($"{queue.Count} queued")
            : HealthCheckResult.Unhealthy("Slack workers are not running"));
}
