using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Bot.Testing;

namespace Bot.Workflows.Tests.Storage;

/// <summary>The work queue contract on SQLite: each test has its own file; each host opens its own store on it.</summary>
public sealed class SqliteWorkQueueTests : WorkQueueContract
{
    private readonly string _path = TestStorage.NewSqlitePath();

    protected override Task<IWorkflowStore> OpenStoreAsync() => Task.FromResult<IWorkflowStore>(new SqliteWorkflowStore(_path, Time));

    public override Task DisposeAsync()
    {
        TestStorage.Delete(_path);
        return Task.CompletedTask;
    }
}
