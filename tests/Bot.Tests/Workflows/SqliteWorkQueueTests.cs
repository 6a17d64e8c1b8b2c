using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Bot.Tests.Workflows;

/// <summary>The work queue contract on SQLite: each test has its own file; each host opens its own store on it.</summary>
public sealed class SqliteWorkQueueTests : WorkQueueContract
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "sb-work-" + Guid.NewGuid().ToString("N"), "bot.db");

    protected override Task<IWorkflowStore> OpenStoreAsync() => Task.FromResult<IWorkflowStore>(new SqliteWorkflowStore(_path, Time));

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true); }
        catch (IOException) { }
        return Task.CompletedTask;
    }
}
