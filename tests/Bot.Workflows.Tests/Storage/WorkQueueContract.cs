using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Audit;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Workflows.Tests.Storage;

/// <summary>
/// The durable work queue every store provides: standalone enqueue with id deduplication, leased claims,
/// deferral, completion (on its own or inside a unit of work) and tombstones that expire.
/// </summary>
public abstract class WorkQueueContract : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero));

    /// <summary>A new store object on this test's database (a second call is a second "host").</summary>
    protected abstract Task<IWorkflowStore> OpenStoreAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;
    public virtual Task DisposeAsync() => Task.CompletedTask;

    private async Task<IWorkflowStore> StoreAsync()
    {
        var store = await OpenStoreAsync();
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    private WorkItem Item(string id, string queue = WorkQueues.Inbound, TimeSpan? dueIn = null) => new()
    {
        Queue = queue,
        Id = id,
        PayloadJson = $$"""{"id":"{{id}}"}""",
        CreatedAt = Time.GetUtcNow(),
        DueAt = Time.GetUtcNow() + (dueIn ?? TimeSpan.Zero),
    };

    private static AuditDraft Audit(string action, DateTimeOffset at) => new() { At = at, ActorId = "bot", ActorName = "securebase-bot", Action = action };

    [Fact]
    public async Task Enqueued_item_is_claimed_once_with_its_payload_and_first_attempt()
    {
        var store = await StoreAsync();
        Assert.True(await store.EnqueueWorkAsync(Item("w1"), CancellationToken.None));

        var claimed = Assert.Single(await store.ClaimWorkAsync(WorkQueues.Inbound, Time.GetUtcNow(), "host-a", TimeSpan.FromMinutes(1), 10, CancellationToken.None));
        Assert.Equal(("w1", """{"id":"w1"}""", 1, "host-a"), (claimed.Id, claimed.PayloadJson, claimed.Attempts, claimed.LeaseOwner));
        Assert.Empty(await store.ClaimWorkAsync(WorkQueues.Inbound, Time.GetUtcNow(), "host-b", TimeSpan.FromMinutes(1), 10, CancellationToken.None));
    }

    [Theory]
    [InlineData(60, 5)] // held past the next item's due time: that one is next
    [InlineData(3, 3)] // held for less: it is next again when its lease ends
    public async Task An_item_held_by_another_instance_is_next_due_when_its_lease_ends_not_at_its_due_time(int leaseSeconds, int nextInSeconds)
    {
        var store = await StoreAsync();
        await store.EnqueueWorkAsync(Item("w1"), CancellationToken.None);
        await store.EnqueueWorkAsync(Item("w2", dueIn: TimeSpan.FromSeconds(5)), CancellationToken.None);

        Assert.Equal("w1", Assert.Single(await store.ClaimWorkAsync(WorkQueues.Inbound, Time.GetUtcNow(), "host-b", TimeSpan.FromSeconds(leaseSeconds), 10, CancellationToken.None)).Id);

        // Not w1's due time, already past: a pump told that would find nothing to claim and sleep until its next poll, while
        // w2 (an event waiting a second for its turn, an activity's retry) fell due.
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromSeconds(nextInSeconds), await store.NextWorkDueAsync(WorkQueues.Inbound, CancellationToken.None));
    }

    [Fact]
    public async Task The_same_id_is_enqueued_once_even_after_it_completed()
    {
        var store = await StoreAsync();
        Assert.True(await store.EnqueueWorkAsync(Item("w1"), CancellationToken.None));
        Assert.False(await store.EnqueueWorkAsync(Item("w1"), CancellationToken.None));

        await store.CompleteWorkAsync(new WorkCompletion("w1", "done", Time.GetUtcNow() + TimeSpan.FromDays(1)), CancellationToken.None);
        Assert.False(await store.EnqueueWorkAsync(Item("w1"), CancellationToken.None));
        Assert.Empty(await store.ListPendingWorkAsync(WorkQueues.Inbound, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_completed_id_is_forgotten_after_its_retention()
    {
        var store = await StoreAsync();
        await store.EnqueueWorkAsync(Item("w1"), CancellationToken.None);
        await store.CompleteWorkAsync(new WorkCompletion("w1", "done", Time.GetUtcNow() + TimeSpan.FromHours(1)), CancellationToken.None);

        Time.Advance(TimeSpan.FromHours(2));
        Assert.True(await store.EnqueueWorkAsync(Item("w1"), CancellationToken.None));
    }

    [Fact]
    public async Task Items_are_not_handed_out_before_they_are_due_nor_across_queues()
    {
        var store = await StoreAsync();
        await store.EnqueueWorkAsync(Item("later", dueIn: TimeSpan.FromMinutes(5)), CancellationToken.None);
        await store.EnqueueWorkAsync(Item("other", queue: WorkQueues.Activities), CancellationToken.None);

        Assert.Empty(await store.ClaimWorkAsync(WorkQueues.Inbound, Time.GetUtcNow(), "h", TimeSpan.FromMinutes(1), 10, CancellationToken.None));
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromMinutes(5), await store.NextWorkDueAsync(WorkQueues.Inbound, CancellationToken.None));

        Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("later", Assert.Single(await store.ClaimWorkAsync(WorkQueues.Inbound, Time.GetUtcNow(), "h", TimeSpan.FromMinutes(1), 10, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task A_worker_that_died_loses_its_item_to_another_when_the_lease_ends()
    {
        var store = await StoreAsync();
        await store.EnqueueWorkAsync(Item("w1"), CancellationToken.None);
        await store.ClaimWorkAsync(WorkQueues.Inbound, Time.GetUtcNow(), "dead", TimeSpan.FromMinutes(1), 10, CancellationToken.None);

        Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(await store.ClaimWorkAsync(WorkQueues.Inbound, Time.GetUtcNow(), "alive", TimeSpan.FromMinutes(1), 10, CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(1));
        var again = Assert.Single(await store.ClaimWorkAsync(WorkQueues.Inbound, Time.GetUtcNow(), "alive", TimeSpan.FromMinutes(1), 10, CancellationToken.None));
        Assert.Equal((2, "alive"), (again.Attempts, again.LeaseOwner));
    }

    [Fact]
    public async Task Deferred_item_comes_back_at_its_new_time_with_the_error()
    {
        var store = await StoreAsync();
        await store.EnqueueWorkAsync(Item("w1"), CancellationToken.None);
        var claimed = Assert.Single(await store.ClaimWorkAsync(WorkQueues.Inbound, Time.GetUtcNow(), "h", TimeSpan.FromMinutes(1), 10, CancellationToken.None));

        await store.DeferWorkAsync(claimed, Time.GetUtcNow() + TimeSpan.FromSeconds(30), "throttled", CancellationToken.None);
        Assert.Empty(await store.ClaimWorkAsync(WorkQueues.Inbound, Time.GetUtcNow(), "h", TimeSpan.FromMinutes(1), 10, CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(30));
        var again = Assert.Single(await store.ClaimWorkAsync(WorkQueues.Inbound, Time.GetUtcNow(), "h", TimeSpan.FromMinutes(1), 10, CancellationToken.None));
        Assert.Equal((2, "throttled"), (again.Attempts, again.LastError));
    }

    [Fact]
    public async Task A_deferral_by_a_worker_that_lost_its_lease_changes_nothing()
    {
        var store = await StoreAsync();
        await store.EnqueueWorkAsync(Item("w1"), CancellationToken.None);
        var first = Assert.Single(await store.ClaimWorkAsync(WorkQueues.Inbound, Time.GetUtcNow(), "slow", TimeSpan.FromMinutes(1), 10, CancellationToken.None));
        Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Single(await store.ClaimWorkAsync(WorkQueues.Inbound, Time.GetUtcNow(), "fast", TimeSpan.FromMinutes(1), 10, CancellationToken.None));

        await store.DeferWorkAsync(first, Time.GetUtcNow() + TimeSpan.FromHours(1), "late", CancellationToken.None);
        var pending = Assert.Single(await store.ListPendingWorkAsync(WorkQueues.Inbound, 10, CancellationToken.None));
        Assert.Equal("fast", pending.LeaseOwner);
        Assert.Null(pending.LastError);
    }

    [Fact]
    public async Task Work_added_and_completed_by_units_of_work_is_saved_with_them()
    {
        var store = await StoreAsync();
        await store.CommitAsync(new UnitOfWork { Audit = Audit("start", Time.GetUtcNow()), WorkToAdd = [Item("act-1", WorkQueues.Activities)] }, CancellationToken.None);
        Assert.Equal("act-1", Assert.Single(await store.ListPendingWorkAsync(WorkQueues.Activities, 10, CancellationToken.None)).Id);

        await store.CommitAsync(new UnitOfWork
        {
            Audit = Audit("finish", Time.GetUtcNow()),
            CompleteWork = new WorkCompletion("act-1", "Succeeded", Time.GetUtcNow() + TimeSpan.FromDays(7)),
        }, CancellationToken.None);
        Assert.Empty(await store.ListPendingWorkAsync(WorkQueues.Activities, 10, CancellationToken.None));
        Assert.Null(await store.NextWorkDueAsync(WorkQueues.Activities, CancellationToken.None));
    }

    [Fact]
    public async Task A_unit_of_work_adding_a_known_id_leaves_that_item_as_it_is()
    {
        var store = await StoreAsync();
        await store.EnqueueWorkAsync(Item("w1"), CancellationToken.None);
        var held = Assert.Single(await store.ClaimWorkAsync(WorkQueues.Inbound, Time.GetUtcNow(), "h", TimeSpan.FromMinutes(1), 10, CancellationToken.None));
        await store.EnqueueWorkAsync(Item("done"), CancellationToken.None);
        await store.CompleteWorkAsync(new WorkCompletion("done", "ok", Time.GetUtcNow() + TimeSpan.FromDays(1)), CancellationToken.None);

        await store.CommitAsync(new UnitOfWork
        {
            Audit = Audit("again", Time.GetUtcNow()),
            WorkToAdd = [Item("w1") with { PayloadJson = """{"other":true}""" }, Item("done"), Item("new")],
        }, CancellationToken.None);

        var pending = await store.ListPendingWorkAsync(WorkQueues.Inbound, 10, CancellationToken.None);
        Assert.Equal(["w1", "new"], pending.Select(w => w.Id).Order(StringComparer.Ordinal).Reverse());
        var w1 = pending.Single(w => w.Id == "w1");
        Assert.Equal((held.PayloadJson, 1, "h"), (w1.PayloadJson, w1.Attempts, w1.LeaseOwner));
    }

    [Fact]
    public async Task A_unit_of_work_completing_an_unknown_id_commits_and_leaves_the_id_free()
    {
        var store = await StoreAsync();

        var audit = await store.CommitAsync(new UnitOfWork
        {
            Audit = Audit("finish", Time.GetUtcNow()),
            CompleteWork = new WorkCompletion("never-added", "Succeeded", Time.GetUtcNow() + TimeSpan.FromDays(7)),
        }, CancellationToken.None);

        Assert.Equal(1, audit.Sequence);
        Assert.True(await store.EnqueueWorkAsync(Item("never-added"), CancellationToken.None));
    }

    [Fact]
    public async Task Two_hosts_adding_the_same_id_in_their_units_of_work_at_once_store_it_once()
    {
        var a = await StoreAsync();
        var b = await StoreAsync();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).CommitAsync(new UnitOfWork
        {
            Audit = Audit($"start-{i}", Time.GetUtcNow()),
            WorkToAdd = [Item("act-1", WorkQueues.Activities) with { PayloadJson = $$"""{"by":{{i}}}""" }],
        }, CancellationToken.None)));

        Assert.Equal("act-1", Assert.Single(await b.ListPendingWorkAsync(WorkQueues.Activities, 10, CancellationToken.None)).Id);
        var chain = new List<AuditRecord>();
        await foreach (var r in a.ReadAuditChainAsync(CancellationToken.None)) chain.Add(r);
        Assert.Equal(6, chain.Count);
    }

    [Fact]
    public async Task A_burst_of_enqueues_beside_units_of_work_stores_each_id_once_and_tells_each_caller_whether_it_was_new()
    {
        // A storm's webhooks at once (on SQLite they share grouped transactions with the engine's commits): each id twice.
        var store = await StoreAsync();
        var adds = Enumerable.Range(0, 40).Select(i => store.EnqueueWorkAsync(Item($"w{i % 20}"), CancellationToken.None)).ToList();
        var commits = Enumerable.Range(0, 5).Select(i => store.CommitAsync(new UnitOfWork { Audit = Audit($"beside-{i}", Time.GetUtcNow()) }, CancellationToken.None)).ToList();
        var added = await Task.WhenAll(adds);
        await Task.WhenAll(commits);

        Assert.Equal(20, added.Count(a => a));
        for (var id = 0; id < 20; id++) Assert.True(added[id] ^ added[id + 20], $"w{id} was new to both callers or to neither");
        Assert.Equal(20, (await store.ListPendingWorkAsync(WorkQueues.Inbound, 50, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Two_hosts_claiming_at_once_never_share_an_item()
    {
        var a = await StoreAsync();
        var b = await StoreAsync();
        for (var i = 0; i < 20; i++) await a.EnqueueWorkAsync(Item($"w{i}"), CancellationToken.None);

        var ids = new List<string>();
        for (var round = 0; round < 10 && ids.Count < 20; round++)
        {
            var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
                (i % 2 == 0 ? a : b).ClaimWorkAsync(WorkQueues.Inbound, Time.GetUtcNow(), $"h{i}", TimeSpan.FromMinutes(1), 5, CancellationToken.None)));
            ids.AddRange(claims.SelectMany(c => c).Select(w => w.Id));
        }
        Assert.Equal(20, ids.Count);
        Assert.Equal(20, ids.Distinct().Count());
    }
}
