using Bot.Testing;
using Bot.Tests;
using Bot.Workers;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.Workers;

public sealed class WorkflowStoreHealthCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-ready-").FullName;

    [Fact]
    public async Task A_healthy_store_reports_its_outbox_backlog()
    {
        var store = new SqliteWorkflowStore(Path.Combine(_dir, "bot.db"), new FakeTimeProvider());
        await store.InitializeAsync(CancellationToken.None);

        var result = await new WorkflowStoreHealthCheck(store).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal((HealthStatus.Healthy, "0 outbox message(s) waiting"), (result.Status, result.Description));
    }

    [Fact]
    public async Task A_corrupted_store_makes_readiness_degraded_not_unhealthy()
    {
        var path = Path.Combine(_dir, "bot.db");
        await File.WriteAllTextAsync(path, "this is not an SQLite database, it was overwritten by accident");
        var store = new SqliteWorkflowStore(path, new FakeTimeProvider());

        var result = await new WorkflowStoreHealthCheck(store).CheckHealthAsync(new HealthCheckContext());

        // Degraded: /readyz still answers 200 (the instance serves what needs no store; every instance shares the store).
        Assert.Equal((HealthStatus.Degraded, "the store did not answer"), (result.Status, result.Description));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
