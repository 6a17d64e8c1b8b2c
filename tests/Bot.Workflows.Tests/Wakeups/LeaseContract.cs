using Bot.Testing;
using Bot.Testing.Workflows;
using Bot.Workflows.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Outbox;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Workflows.Tests.Wakeups;

/// <summary>
/// Leases that hold for as long as the work runs, on every store: a claimed outbox message or activity whose run outlasts its
/// lease (a post waiting out Slack's 429, an AWS call under throttling) keeps it, because a heartbeat renews it; and a holder
/// that could not renew (its process paused, cut off from the store) for longer than the lease, once another took the item
/// over, does nothing more with it: its side effect and its result are fenced by the claim's token. "Hosts" are independent
/// store objects on one database; a paused host has a clock of its own that does not move.
/// </summary>
public abstract class LeaseContract : IAsyncLifetime
{
    private static readonly WorkflowActor Ana = new("U0ANA", "ana");
    private static readonly WorkflowActor Ben = new("U0BEN", "ben");

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero));
    private readonly SampleWorld _world = new();

    protected abstract Task<IWorkflowStore> OpenStoreAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;
    public virtual Task DisposeAsync() => Task.CompletedTask;

    private async Task<IWorkflowStore> StoreAsync()
    {
        var store = await OpenStoreAsync();
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    private async Task<(WorkflowHost Host, StoreSpy Spy)> SpiedHostAsync(FakeTimeProvider? clock = null, Action<System.Reflection.MethodInfo>? before = null)
    {
        var (store, spy) = StoreSpy.Wrap(await StoreAsync(), before);
        return (new WorkflowHost(store, clock ?? Time, world: _world), spy);
    }

    private async Task<WorkflowHost> HostAsync() => new(await StoreAsync(), Time, world: _world);

    private static Task CreateAsync(WorkflowHost host, string id = "a1") =>
        host.Engine.CreateAsync(SampleApproval.New(id, "C0OPS", $"release {id}", Ana), Ana, null, null, CancellationToken.None);

    private static async Task ApproveAsync(WorkflowHost host, string id = "a1")
    {
        await CreateAsync(host, id);
        var approved = await host.Engine.FireAsync(WorkflowTrigger.For(SampleApproval.Type, id, ApprovalTrigger.Approve, Ben), CancellationToken.None);
        Assert.Equal(FireOutcomeKind.Transitioned, approved.Kind);
    }

    private static async Task<SampleApproval> LoadAsync(WorkflowHost host, string id = "a1") =>
        (SampleApproval)SampleApproval.Definition.Restore((await host.Store.LoadAsync(SampleApproval.Type, id, CancellationToken.None))!);

    /// <summary>Moves the shared clock past <paramref name="lease"/> a third at a time, each time until the held item's lease was renewed.</summary>
    private async Task OutlastAsync(TimeSpan lease, StoreSpy spy, string renewal)
    {
        var renewed = spy.CountFinished(renewal);
        for (var beat = 1; beat <= 3; beat++)
        {
            Time.Advance(lease / 3);
            await Gate.UntilAsync(() => spy.CountFinished(renewal) >= renewed + beat);
        }
        Time.Advance(lease / 6);
    }

    [Fact]
    public async Task A_post_that_outlasts_its_lease_keeps_it_and_goes_out_once()
    {
        var (a, spy) = await SpiedHostAsync();
        var b = await HostAsync();
        await CreateAsync(a);
        // The post waits (as the Slack client does for a 429's Retry-After) for longer than the outbox's lease.
        var slow = new Gate();
        a.Chat.BeforeCall = slow.PassAsync;

        var sending = Task.Run(() => a.Sender.RunOnceAsync(CancellationToken.None));
        await slow.Reached;
        await OutlastAsync(OutboxSender.DefaultLease, spy, nameof(IOutboxStore.RenewOutboxLeaseAsync));
        var takenOver = await b.Sender.RunOnceAsync(CancellationToken.None);
        slow.Open();
        await sending;

        Assert.Equal(0, takenOver);
        Assert.Single(a.Chat.Deliveries);
        Assert.Empty(b.Chat.Deliveries);
        Assert.Equal(0, await a.Store.CountPendingOutboxAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_sender_whose_lease_passed_to_another_edits_and_posts_nothing_when_it_resumes()
    {
        var setup = await HostAsync();
        await CreateAsync(setup);
        await setup.DrainOutboxAsync();
        await setup.Engine.FireAsync(WorkflowTrigger.For(SampleApproval.Type, "a1", ApprovalTrigger.Remind, WorkflowActor.Bot) with
        {
            Source = TriggerSource.Timer,
            Expectation = "reminder:1",
        }, CancellationToken.None);
        // The card's post paces the channel for a moment.
        Time.Advance(OutboxSender.ChannelSpacing);
        // Host A is paused (its clock stands still, it renews nothing) after it looked the message up, before it acted.
        var paused = new Gate();
        var lookups = 0;
        var (a, _) = await SpiedHostAsync(new FakeTimeProvider(Time.GetUtcNow()), m =>
        {
            if (m.Name == nameof(IOutboxStore.FindSentAsync) && Interlocked.Increment(ref lookups) == 2) paused.Pass();
        });
        var b = await HostAsync();

        var sending = Task.Run(() => a.Sender.RunOnceAsync(CancellationToken.None));
        await paused.Reached;
        Time.Advance(OutboxSender.DefaultLease + TimeSpan.FromSeconds(1));
        await b.DrainOutboxAsync();
        paused.Open();
        await sending;

        Assert.Empty(a.Chat.Deliveries);
        Assert.Single(b.Chat.Deliveries, d => d.Text.Contains("Reminder 1", StringComparison.Ordinal));
        Assert.Equal(0, await b.Store.CountPendingOutboxAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_timer_pump_whose_lease_passed_to_another_fires_nothing_when_it_resumes()
    {
        var setup = await HostAsync();
        await CreateAsync(setup);
        Time.Advance(SampleApproval.ReminderAfter);
        // Host A is paused (its clock stands still) after it claimed the reminder and fired it, right before its commit.
        var paused = new Gate();
        var (a, _) = await SpiedHostAsync(new FakeTimeProvider(Time.GetUtcNow()), m =>
        {
            if (m.Name == nameof(IAggregateStore.CommitAsync)) paused.Pass();
        });
        var b = await HostAsync();

        var firing = Task.Run(() => a.Pump.RunOnceAsync(CancellationToken.None));
        await paused.Reached;
        Time.Advance(Timers.TimerPump.DefaultLease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await b.Pump.RunOnceAsync(CancellationToken.None));
        var rearmedDue = Time.GetUtcNow() + SampleApproval.ReminderAfter;
        paused.Open();
        await firing;

        Assert.Equal(1, (await LoadAsync(b)).Data.RemindersSent);
        await b.DrainOutboxAsync();
        Assert.Single(b.Chat.Deliveries, d => d.Text.Contains("Reminder 1", StringComparison.Ordinal));
        Assert.DoesNotContain(b.Chat.Deliveries, d => d.Text.Contains("Reminder 2", StringComparison.Ordinal));
        // The reminder re-armed by B is B's setting, untouched by A.
        Assert.Equal(rearmedDue, await b.Store.NextTimerDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_activity_that_outlasts_its_lease_keeps_it_and_runs_once()
    {
        var (a, spy) = await SpiedHostAsync();
        var b = await HostAsync();
        await ApproveAsync(a);
        // The call is held up (throttling, retries) for longer than the activity's lease.
        var slow = new Gate();
        _world.BeforeCall = slow.PassAsync;

        var running = Task.Run(() => a.Runner.RunOnceAsync(CancellationToken.None));
        await slow.Reached;
        await OutlastAsync(ActivityRunner.DefaultLease, spy, nameof(IWorkQueueStore.RenewWorkLeaseAsync));
        var takenOver = await b.Runner.RunOnceAsync(CancellationToken.None);
        slow.Open();
        await running;

        Assert.Equal(0, takenOver);
        Assert.Equal(1, _world.Calls);
        Assert.Equal(ApprovalState.Applied, (await LoadAsync(a)).CurrentState);
    }

    [Fact]
    public async Task A_runner_whose_lease_passed_to_another_does_not_call_when_it_resumes()
    {
        var setup = await HostAsync();
        await ApproveAsync(setup);
        // Host A is paused while it looks at the live world; host B takes the activity over after the lease, and its call
        // fails for now (the activity waits for its next attempt).
        var paused = new Gate();
        _world.BeforeCheck = paused.PassAsync;
        var a = new WorkflowHost(await StoreAsync(), new FakeTimeProvider(Time.GetUtcNow()), world: _world);
        var b = await HostAsync();

        var running = Task.Run(() => a.Runner.RunOnceAsync(CancellationToken.None));
        await paused.Reached;
        Time.Advance(ActivityRunner.DefaultLease + TimeSpan.FromSeconds(1));
        _world.Failures.Enqueue(new PortException("Throttling", "AWS is throttling the calls", transient: true));
        Assert.Equal(0, await b.Runner.RunOnceAsync(CancellationToken.None));
        var callsByTheNewHolder = _world.Calls;
        paused.Open();
        await running;

        Assert.Equal(1, callsByTheNewHolder);
        Assert.Equal(1, _world.Calls);
        Assert.Equal(ApprovalState.Applying, (await LoadAsync(b)).CurrentState);
        // The activity is still B's to finish: its next attempt applies it once.
        Time.Advance(ActivityRunner.MaxBackoff);
        Assert.Equal(1, await b.Runner.RunOnceAsync(CancellationToken.None));
        Assert.Equal(ApprovalState.Applied, (await LoadAsync(b)).CurrentState);
        Assert.Equal(2, _world.Calls);
    }

    [Fact]
    public async Task An_activity_whose_result_cannot_be_reported_does_not_hold_up_the_others()
    {
        var host = await HostAsync();
        foreach (var id in new[] { "a0", "a1", "a2" }) await ApproveAsync(host, id);
        // a0's record can no longer be read: reporting its result throws, every time.
        var a0 = (await host.Store.LoadAsync(SampleApproval.Type, "a0", CancellationToken.None))!;
        await host.Store.CommitAsync(new UnitOfWork
        {
            Aggregate = a0 with { Data = "{not json", Version = a0.Version + 1 },
            ExpectedVersion = a0.Version,
            Audit = new Bot.Workflows.Audit.AuditDraft { At = Time.GetUtcNow(), ActorId = "test", ActorName = "test", Action = "corrupt" },
        }, CancellationToken.None);

        var settled = await host.Runner.RunOnceAsync(CancellationToken.None);

        Assert.Equal(2, settled);
        Assert.Equal(ApprovalState.Applied, (await LoadAsync(host, "a1")).CurrentState);
        Assert.Equal(ApprovalState.Applied, (await LoadAsync(host, "a2")).CurrentState);
        // a0 waits for a later attempt instead of coming back first in every round.
        var pending = Assert.Single(await host.Store.ListPendingWorkAsync(WorkQueues.Activities, 10, CancellationToken.None));
        Assert.StartsWith($"{SampleApproval.Type}/a0/", pending.Id, StringComparison.Ordinal);
        Assert.True(pending.DueAt > Time.GetUtcNow());
        Assert.Null(pending.LeaseOwner);
    }
}
