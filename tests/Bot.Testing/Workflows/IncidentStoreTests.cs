using Bot.Testing;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Testing.Workflows;

/// <summary>The base of the incident tests: a fresh SQLite store on a fake clock that starts at <see cref="Start"/>, removed afterwards.</summary>
public abstract class IncidentStoreTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 30, 14, 2, 0, TimeSpan.Zero);

    protected string StorePath { get; } = TestStorage.NewSqlitePath();
    protected FakeTimeProvider Time { get; } = new(Start);
    protected SqliteWorkflowStore Store { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Store = new SqliteWorkflowStore(StorePath, Time);
        await Store.InitializeAsync(CancellationToken.None);
    }

    public virtual Task DisposeAsync()
    {
        TestStorage.Delete(StorePath);
        return Task.CompletedTask;
    }
}
