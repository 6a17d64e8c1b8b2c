using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Bot.Testing;

namespace Bot.Workflows.Tests.Storage;

/// <summary>The work queue contract on SQLite: each test has its own file; each host opens its own store on it.</summary>
public sealed class SqliteWorkQueueTests : WorkQueueContract
{
    private readonly string _path = TestStorage.NewSqlitePath();

    protected override Task<IWorkflowStore> OpenStoreAsync() => Task.FromResult<IWorkflowStore>(new SqliteWorkflowStore(_path, Time));

    [Fact]
    public async Task The_sweep_of_expired_tombstones_before_each_enqueue_reads_an_index_not_the_whole_table()
    {
        // A week of handled webhooks is tens of thousands of tombstones: scanned before every enqueue, inside the write lock, a
        // storm's acks took 2 s (bench/README, storm --history 50000).
        await (await OpenStoreAsync()).InitializeAsync(CancellationToken.None);
        await using var c = new SqliteConnection($"Data Source={_path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN " + SqliteWorkflowStore.SweepTombstones;
        cmd.Parameters.AddWithValue("$now", 0L);
        var plan = new List<string>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) plan.Add(r.GetString(3));

        Assert.Contains(plan, step => step.Contains("USING INDEX work_forget", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN work", StringComparison.Ordinal));
    }

    public override Task DisposeAsync()
    {
        TestStorage.Delete(_path);
        return Task.CompletedTask;
    }
}
