using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Bot.Workflows.Tests.Storage;

/// <summary>The store contract on SQLite: each test has its own file; each host opens its own store on it.</summary>
public sealed class SqliteWorkflowStoreTests : WorkflowStoreContract
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "sb-workflows-" + Guid.NewGuid().ToString("N"), "bot.db");

    protected override Task<IWorkflowStore> OpenStoreAsync() => Task.FromResult<IWorkflowStore>(new SqliteWorkflowStore(_path, Time));

    protected override async Task TamperWithAuditAsync(long sequence, string action)
    {
        await using var c = new SqliteConnection($"Data Source={_path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE audit SET action = $a WHERE seq = $s;";
        cmd.Parameters.AddWithValue("$a", action);
        cmd.Parameters.AddWithValue("$s", sequence);
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }

    protected override async Task DeleteAuditAsync(long sequence)
    {
        await using var c = new SqliteConnection($"Data Source={_path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "DELETE FROM audit WHERE seq = $s;";
        cmd.Parameters.AddWithValue("$s", sequence);
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task Listing_the_workflows_in_some_states_reads_an_index_not_every_workflow_of_the_type()
    {
        // The reconciler lists the open incidents every few minutes; a year of closed ones (each a few KB) stays in the table.
        await (await OpenStoreAsync()).InitializeAsync(CancellationToken.None);
        var plan = await SqliteQueryPlan.OfAsync(_path, SqliteWorkflowStore.InStatesQuery(3),
            ("$t", "incident"), ("$s0", "Triggered"), ("$s1", "Acknowledged"), ("$s2", "Snoozed"));

        Assert.Contains(plan, step => step.Contains("INDEX aggregates_state", StringComparison.Ordinal));
    }

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true); }
        catch (IOException) { }
        return Task.CompletedTask;
    }
}
