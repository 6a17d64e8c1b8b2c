using Bot.Workflows.Storage;

namespace Bot.Workers;

/// <summary>Creates the store's schema (SQLite) or checks / creates the table (DynamoDB) before anything else runs.</summary>
internal sealed class WorkflowStoreInitializer(IWorkflowStore store, ILogger<WorkflowStoreInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        logger.LogInformation("Workflow store ready ({Store})", store.GetType().Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
