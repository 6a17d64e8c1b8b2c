using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Workflows.Tests.Changes;

/// <summary>A fresh SQLite store and a <see cref="ChangeHost"/> on it for each test of the Change workflow.</summary>
public abstract class ChangeTests : IAsyncLifetime
{
    private readonly string _path = TestStorage.NewSqlitePath();

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 14, 2, 0, TimeSpan.Zero));
    protected ChangeHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var store = new SqliteWorkflowStore(_path, Time);
        await store.InitializeAsync(CancellationToken.None);
        Host = new ChangeHost(store, Time);
    }

    public Task DisposeAsync()
    {
        TestStorage.Delete(_path);
        return Task.CompletedTask;
    }
}
