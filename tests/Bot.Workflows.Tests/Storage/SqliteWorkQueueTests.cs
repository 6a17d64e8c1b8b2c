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

    // A week of handled webhooks is tens of thousands of tombstones in the work table: scanned before every enqueue, inside the
    // write lock, a storm's acks took 1.6 s (bench/README, storm --history 50000).
    [Theory]
    [InlineData(SqliteWorkflowStore.SweepTombstones, "work_forget")]
    [InlineData(SqliteWorkflowStore.CountDeadWork, "work_dead")]
    public async Task Queries_that_run_often_read_an_index_not_the_whole_work_table(string sql, string index)
    {
        await (await OpenStoreAsync()).InitializeAsync(CancellationToken.None);
        var plan = await SqliteQueryPlan.OfAsync(_path, sql, ("$now", 0L));

        Assert.Contains(plan, step => step.Contains($"INDEX {index}", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step is "SCAN work");
    }

    public override Task DisposeAsync()
    {
        TestStorage.Delete(_path);
        return Task.CompletedTask;
    }
}
