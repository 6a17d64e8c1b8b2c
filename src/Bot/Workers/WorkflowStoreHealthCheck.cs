using Bot.Workflows.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bot.Workers;

/// <summary>
/// Readiness of the workflow store: it answers a query, and how many outbox messages wait for Slack
/// (a growing backlog is the first sign that Slack delivery is stuck). A store that does not answer is Degraded, not
/// Unhealthy: the instance still serves what needs no store (and answers PagerDuty's webhooks 503, which PagerDuty
/// retries), and every instance shares the store, so replacing this one would not help.
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
            return HealthCheckResult.Degraded("the store did not answer", e);
        }
    }
}
