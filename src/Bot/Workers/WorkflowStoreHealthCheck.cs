using Bot.Workflows.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bot.Workers;

/// <summary>
/// Readiness of the workflow store: it answers a query, and how many outbox messages wait for Slack
/// (a growing backlog is the first sign that Slack delivery is stuck).
/// </summary>
internal sealed class WorkflowStoreHealthCheck(IOperationsStore store) : IHealthCheck
{
    public const string Name = "workflow-store";

    /// <summary>A backlog above this reports Degraded: the bot still works, but messages are late.</summary>
    public const int BacklogWarning = 200;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var pending = await store.CountPendingOutboxAsync(timeout.Token);
            var description = $"{pending} outbox message(s) waiting";
            return pending > BacklogWarning ? HealthCheckResult.Degraded(description) : HealthCheckResult.Healthy(description);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("the store did not answer", e);
        }
    }
}
