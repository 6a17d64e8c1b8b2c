using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Testing.DynamoDb;
using Bot.Workflows.Tests.Storage.DynamoDb;
using Bot.Workflows.Engine;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Bot.Workflows.Storage.DynamoDb;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Workflows.Tests.Storage;

/// <summary>What status, metrics and shutdown read from or give back to the store; passed by SQLite and DynamoDB Local.</summary>
public abstract class StoreOperationsContract : IAsyncLifetime
{
    protected static readonly WorkflowActor Ana = new("U0ANA", "ana");
    protected static readonly WorkflowActor Ben = new("U0BEN", "ben");

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero));

    protected abstract IWorkflowStore OpenStore();

    /// <summary>Leaves the counters of <paramref name="aggregateType"/> wrong behind the store's back, as a version that did not keep them would.</summary>
    protected abstract Task SpoilCountsAsync(string aggregateType);

    public virtual Task InitializeAsync() => Task.CompletedTask;
    public virtual Task DisposeAsync() => Task.CompletedTask;

    private async Task<WorkflowHost> NewHostWithRequestAsync(string id = "a1")
    {
        var store = OpenStore();
        await store.InitializeAsync(CancellationToken.None);
        var host = new WorkflowHost(store, Time);
        await host.Engine.CreateAsync(SampleApproval.New(id, "C0OPS", "deploy api v42", Ana), Ana, "req-" + id, null, CancellationToken.None);
        return host;
    }

    [Fact]
    public async Task A_timer_given_back_is_claimed_at_once_by_another_instance()
    {
        var host = await NewHostWithRequestAsync();
        Time.Advance(SampleApproval.ReminderAfter);
        var claimed = Assert.Single(await host.Store.ClaimDueTimersAsync(Time.GetUtcNow(), "host-a", TimeSpan.FromMinutes(1), 10, CancellationToken.None));

        await host.Store.ReleaseTimerAsync(claimed, CancellationToken.None);
        var taken = await host.Store.ClaimDueTimersAsync(Time.GetUtcNow(), "host-b", TimeSpan.FromMinutes(1), 10, CancellationToken.None);

        Assert.Equal(claimed.Id, Assert.Single(taken).Id);
    }

    [Fact]
    public async Task Only_the_lease_holder_gives_a_timer_back()
    {
        var host = await NewHostWithRequestAsync();
        Time.Advance(SampleApproval.ReminderAfter);
        var claimed = Assert.Single(await host.Store.ClaimDueTimersAsync(Time.GetUtcNow(), "host-a", TimeSpan.FromMinutes(1), 10, CancellationToken.None));

        await host.Store.ReleaseTimerAsync(claimed with { LeaseOwner = "host-c" }, CancellationToken.None);
        var meanwhile = await host.Store.ClaimDueTimersAsync(Time.GetUtcNow(), "host-b", TimeSpan.FromMinutes(1), 10, CancellationToken.None);

        Assert.Empty(meanwhile);
    }

    [Fact]
    public async Task Due_timers_are_counted_with_when_the_oldest_was_due()
    {
        var host = await NewHostWithRequestAsync("a1");
        Time.Advance(TimeSpan.FromMinutes(5));
        await host.Engine.CreateAsync(SampleApproval.New("a2", "C0OPS", "deploy web v7", Ana), Ana, "req-a2", null, CancellationToken.None);
        var before = await host.Store.CountDueTimersAsync(Time.GetUtcNow(), CancellationToken.None);
        Time.Advance(SampleApproval.ReminderAfter);

        var due = await host.Store.CountDueTimersAsync(Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(new DueTimers(0, null), before);
        Assert.Equal(2, due.Count);
        Assert.Equal(Time.GetUtcNow() - TimeSpan.FromMinutes(5), due.OldestDueAt);
    }

    [Fact]
    public async Task A_message_given_up_is_counted_as_a_dead_letter_and_no_longer_as_backlog()
    {
        var host = await NewHostWithRequestAsync();
        var message = Assert.Single(await host.Store.ClaimOutboxAsync(Time.GetUtcNow(), "sender", TimeSpan.FromMinutes(1), 10, CancellationToken.None));

        await host.Store.FailOutboxAsync(message, "channel_not_found", CancellationToken.None);

        Assert.Equal(1, await host.Store.CountDeadLettersAsync(CancellationToken.None));
        Assert.Equal(0, await host.Store.CountPendingOutboxAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_oldest_message_waiting_is_dated_until_it_is_delivered_or_given_up()
    {
        var store = OpenStore();
        await store.InitializeAsync(CancellationToken.None);
        var empty = await store.OldestPendingOutboxAsync(CancellationToken.None);
        var first = await NewHostWithRequestAsync("a1");
        var firstAt = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromMinutes(5));
        var second = await NewHostWithRequestAsync("a2");
        var both = await first.Store.OldestPendingOutboxAsync(CancellationToken.None);

        // One channel's messages are claimed one at a time, its head first.
        var head = Assert.Single(await second.Store.ClaimOutboxAsync(Time.GetUtcNow(), "sender", TimeSpan.FromMinutes(1), 10, CancellationToken.None));
        await second.Store.FailOutboxAsync(head, "channel_not_found", CancellationToken.None);
        var afterGivingUp = await second.Store.OldestPendingOutboxAsync(CancellationToken.None);
        var last = Assert.Single(await second.Store.ClaimOutboxAsync(Time.GetUtcNow(), "sender", TimeSpan.FromMinutes(1), 10, CancellationToken.None));
        await second.Store.CompleteOutboxAsync(last, new SentMessage(last.Key, last.Id, last.Channel, "1.0001", Time.GetUtcNow()), Time.GetUtcNow(), CancellationToken.None);
        var afterDelivery = await second.Store.OldestPendingOutboxAsync(CancellationToken.None);

        Assert.Null(empty);
        Assert.Equal(firstAt, head.CreatedAt);
        Assert.Equal(firstAt, both);
        Assert.Equal(firstAt + TimeSpan.FromMinutes(5), afterGivingUp);
        Assert.Null(afterDelivery);
    }

    private static Task<FireOutcome> ApproveAsync(WorkflowHost host, string id) =>
        host.Engine.FireAsync(WorkflowTrigger.For(SampleApproval.Type, id, ApprovalTrigger.Approve, Ben), CancellationToken.None);

    /// <summary>The counters of the sample workflows as text, states in order: e.g. <c>Applying 1, Pending 1</c>.</summary>
    protected static async Task<string> CountsAsync(IWorkflowStore store, string type = SampleApproval.Type) =>
        string.Join(", ", (await store.CountByStateAsync(type, CancellationToken.None)).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));

    [Fact]
    public async Task Workflows_are_counted_by_state_in_the_write_that_moves_them()
    {
        var host = await NewHostWithRequestAsync("a1");
        var afterCreate = await CountsAsync(host.Store);
        await host.Engine.CreateAsync(SampleApproval.New("a2", "C0OPS", "deploy web v7", Ana), Ana, "req-a2", null, CancellationToken.None);
        await ApproveAsync(host, "a1");

        Assert.Equal("Pending 1", afterCreate);
        Assert.Equal("Applying 1, Pending 1", await CountsAsync(host.Store));
        Assert.Equal("", await CountsAsync(host.Store, "Unknown"));
    }

    [Fact]
    public async Task Workflows_created_and_moved_at_once_by_two_hosts_are_each_counted_once()
    {
        var a = await NewHostWithRequestAsync("a0");
        var b = new WorkflowHost(OpenStore(), Time);
        var ids = Enumerable.Range(1, 20).Select(i => $"a{i}").ToList();

        await Task.WhenAll(ids.Select((id, i) => (i % 2 == 0 ? a : b).Engine.CreateAsync(SampleApproval.New(id, "C0OPS", $"deploy {id}", Ana), Ana, "req-" + id, null, CancellationToken.None)));
        // Every approval twice, once from each host: one of each pair moves the workflow, the other finds it moved.
        await Task.WhenAll(ids.Take(12).SelectMany(id => new[] { ApproveAsync(a, id), ApproveAsync(b, id) }));

        Assert.Equal("Applying 12, Pending 9", await CountsAsync(b.Store));
    }

    [Fact]
    public async Task Counters_left_wrong_by_a_version_that_did_not_keep_them_are_put_right_by_a_recount()
    {
        var host = await NewHostWithRequestAsync("a1");
        await host.Engine.CreateAsync(SampleApproval.New("a2", "C0OPS", "deploy web v7", Ana), Ana, "req-a2", null, CancellationToken.None);
        await ApproveAsync(host, "a2");
        await SpoilCountsAsync(SampleApproval.Type);
        var spoiled = await CountsAsync(host.Store);
        Time.Advance(TimeSpan.FromMinutes(1)); // the store has been still for a while

        Assert.True(await host.Store.RecountAsync(SampleApproval.Type, CancellationToken.None));

        Assert.NotEqual("Applying 1, Pending 1", spoiled);
        Assert.Equal("Applying 1, Pending 1", await CountsAsync(host.Store));
        await ApproveAsync(host, "a1");
        Assert.Equal("Applying 2", await CountsAsync(host.Store));
    }

    [Fact]
    public async Task Instances_seen_lately_are_listed_most_recent_first_and_a_heartbeat_replaces_the_last()
    {
        var store = OpenStore();
        await store.InitializeAsync(CancellationToken.None);
        var started = Time.GetUtcNow();
        await store.RecordInstanceAsync(new InstanceRecord("i-old", "host-0", "1.0.0", started - TimeSpan.FromDays(1), started - TimeSpan.FromHours(1)), CancellationToken.None);
        await store.RecordInstanceAsync(new InstanceRecord("i-a", "host-a", "1.2.0", started, started), CancellationToken.None);
        await store.RecordInstanceAsync(new InstanceRecord("i-b", "host-b", "1.2.0", started, started + TimeSpan.FromSeconds(10)), CancellationToken.None);
        await store.RecordInstanceAsync(new InstanceRecord("i-a", "host-a", "1.2.0", started, started + TimeSpan.FromSeconds(30)), CancellationToken.None);

        var seen = await store.ListInstancesAsync(started - TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.Equal(["i-a", "i-b"], seen.Select(i => i.Id));
        Assert.Equal(started + TimeSpan.FromSeconds(30), seen[0].SeenAt);
        Assert.Equal(("host-b", "1.2.0", started), (seen[1].Host, seen[1].Version, seen[1].StartedAt));
    }
}

public sealed class SqliteStoreOperationsTests : StoreOperationsContract
{
    private readonly string _path = Bot.Testing.TestStorage.NewSqlitePath();

    protected override IWorkflowStore OpenStore() => new SqliteWorkflowStore(_path, Time);

    protected override async Task SpoilCountsAsync(string aggregateType)
    {
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE aggregate_counts SET count = count + 5 WHERE type = $t; INSERT INTO aggregate_counts VALUES ($t, 'Rejected', 3);";
        cmd.Parameters.AddWithValue("$t", aggregateType);
        await cmd.ExecuteNonQueryAsync();
    }

    public override Task DisposeAsync()
    {
        Bot.Testing.TestStorage.Delete(_path);
        return Task.CompletedTask;
    }
}

[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoDbStoreOperationsTests(DynamoDbLocalFixture dynamoDb) : StoreOperationsContract
{
    private readonly DynamoDbTestTable _table = new(dynamoDb);

    protected override IWorkflowStore OpenStore() => _table.NewStore(Time);

    protected override async Task SpoilCountsAsync(string aggregateType)
    {
        using var client = dynamoDb.NewClient();
        await client.PutItemAsync(new Amazon.DynamoDBv2.Model.PutItemRequest
        {
            TableName = _table.Name,
            Item = new()
            {
                ["pk"] = new() { S = DynamoDbWorkflowStore.CountsPk }, ["sk"] = new() { S = aggregateType },
                ["n:Pending"] = new() { N = "7" }, ["n:Rejected"] = new() { N = "3" },
            },
        });
    }

    [Fact]
    public async Task A_recount_is_put_off_while_commits_come_and_never_overwrites_one_that_landed_while_it_counted()
    {
        var wire = new DynamoDbWire();
        var store = _table.NewStore(Time, wire);
        await store.InitializeAsync(CancellationToken.None);
        var host = new WorkflowHost(store, Time);
        await host.Engine.CreateAsync(SampleApproval.New("a1", "C0OPS", "deploy api v42", Ana), Ana, "req-a1", null, CancellationToken.None);
        var tooSoon = await store.RecountAsync(SampleApproval.Type, CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(1));
        // Another host approves a1 after the recount read the workflows and before it writes its counts.
        var other = new WorkflowHost(_table.NewStore(Time), Time);
        var approved = 0;
        wire.AfterServerAnswered = async (operation, body) =>
        {
            if (operation == "Query" && body.Contains("AGGTYPE#", StringComparison.Ordinal) && Interlocked.Exchange(ref approved, 1) == 0)
                await other.Engine.FireAsync(WorkflowTrigger.For(SampleApproval.Type, "a1", ApprovalTrigger.Approve, Ben), CancellationToken.None);
        };

        var raced = await store.RecountAsync(SampleApproval.Type, CancellationToken.None);

        Assert.False(tooSoon);
        Assert.False(raced);
        Assert.Equal("Applying 1", await CountsAsync(store));
    }

    public override Task DisposeAsync() => _table.DeleteAsync();
}
