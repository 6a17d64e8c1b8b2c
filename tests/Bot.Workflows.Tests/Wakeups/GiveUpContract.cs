using Bot.Testing.Workflows;
using Bot.Workflows.Activities;
using Bot.Workflows.Audit;
using Bot.Workflows.Engine;
using Bot.Workflows.Storage;
using Bot.Workflows.Timers;
using Bot.Workflows.Wakeups;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Workflows.Tests.Wakeups;

/// <summary>
/// Poisoned items, on every store: a timer or an activity that fails every time is retried with backoff, then given up — a dead
/// letter, kept with its last error, counted, listed — instead of being retried for ever (a timer every minute) or stranding its
/// neighbours; an admin's replay, once the cause is fixed, runs it again from a fresh count.
/// </summary>
public abstract class GiveUpContract : IAsyncLifetime
{
    private static readonly WorkflowActor Ana = new("U0ANA", "ana");
    private static readonly WorkflowActor Ben = new("U0BEN", "ben");

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero));

    protected abstract Task<IWorkflowStore> OpenStoreAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;
    public virtual Task DisposeAsync() => Task.CompletedTask;

    private async Task<WorkflowHost> HostAsync()
    {
        var store = await OpenStoreAsync();
        await store.InitializeAsync(CancellationToken.None);
        return new WorkflowHost(store, Time);
    }

    private static Task CreateAsync(WorkflowHost host) =>
        host.Engine.CreateAsync(SampleApproval.New("a1", "C0OPS", "release a1", Ana), Ana, null, null, CancellationToken.None);

    /// <summary>Makes a1's record unreadable (every firing on it throws) and returns a way to put it right again.</summary>
    private static async Task<Func<Task>> PoisonAsync(WorkflowHost host)
    {
        var good = (await host.Store.LoadAsync(SampleApproval.Type, "a1", CancellationToken.None))!;
        await host.Store.CommitAsync(new UnitOfWork
        {
            Aggregate = good with { Data = "{not json", Version = good.Version + 1 }, ExpectedVersion = good.Version, Audit = Draft("corrupt"),
        }, CancellationToken.None);
        return () => host.Store.CommitAsync(new UnitOfWork
        {
            Aggregate = good with { Version = good.Version + 2 }, ExpectedVersion = good.Version + 1, Audit = Draft("repair"),
        }, CancellationToken.None);
    }

    private static AuditDraft Draft(string action) => new() { At = DateTimeOffset.UnixEpoch, ActorId = "test", ActorName = "test", Action = action };

    private static async Task<SampleApproval> LoadAsync(WorkflowHost host) =>
        (SampleApproval)SampleApproval.Definition.Restore((await host.Store.LoadAsync(SampleApproval.Type, "a1", CancellationToken.None))!);

    [Fact]
    public async Task A_timer_whose_firing_always_throws_is_given_up_as_a_dead_letter_and_fires_when_replayed()
    {
        var host = await HostAsync();
        await CreateAsync(host);
        var repair = await PoisonAsync(host);
        Time.Advance(SampleApproval.ReminderAfter);

        for (var attempt = 1; attempt <= host.Pump.GiveUpAfter; attempt++)
        {
            Assert.Equal(0, await host.Pump.RunOnceAsync(CancellationToken.None));
            // Not retried at once: the failed firing waits for its backoff.
            Assert.Equal(0, await host.Pump.RunOnceAsync(CancellationToken.None));
            Time.Advance(WorkQueuePump.FailureBackoff(attempt));
        }
        Assert.Equal(0, await host.Pump.RunOnceAsync(CancellationToken.None));

        var dead = Assert.Single(await host.Store.ListDeadTimersAsync(10, CancellationToken.None));
        Assert.Equal((TimerRecord.IdFor(SampleApproval.Type, "a1", "reminder"), host.Pump.GiveUpAfter), (dead.Id, dead.Attempts));
        Assert.False(string.IsNullOrEmpty(dead.LastError));
        Assert.NotNull(dead.DeadAt);
        Assert.Equal(1, (await host.Store.CountAllDeadLettersAsync(CancellationToken.None)).Timers);
        // Neither due nor late any more: a dead letter is counted as one, not as lag.
        Assert.Equal(0, (await host.Store.CountDueTimersAsync(Time.GetUtcNow(), CancellationToken.None)).Count);

        await repair();
        Assert.True(await host.Store.ReplayDeadTimerAsync(dead.Id, CancellationToken.None));
        Assert.False(await host.Store.ReplayDeadTimerAsync(dead.Id, CancellationToken.None));
        Assert.Equal(1, await host.Pump.RunOnceAsync(CancellationToken.None));

        Assert.Equal(1, (await LoadAsync(host)).Data.RemindersSent);
        Assert.Empty(await host.Store.ListDeadTimersAsync(10, CancellationToken.None));
        Assert.Equal(0, (await host.Store.CountAllDeadLettersAsync(CancellationToken.None)).Total);
    }

    [Fact]
    public async Task A_dead_timer_set_again_by_its_workflow_is_live_again()
    {
        var host = await HostAsync();
        await CreateAsync(host);
        var repair = await PoisonAsync(host);
        Time.Advance(SampleApproval.ReminderAfter);
        for (var attempt = 1; attempt <= host.Pump.GiveUpAfter; attempt++)
        {
            await host.Pump.RunOnceAsync(CancellationToken.None);
            Time.Advance(WorkQueuePump.FailureBackoff(attempt));
        }
        Assert.Single(await host.Store.ListDeadTimersAsync(10, CancellationToken.None));

        await repair();
        await host.Engine.FireAsync(new WorkflowTrigger(SampleApproval.Type, "a1", nameof(ApprovalTrigger.Remind), WorkflowActor.Bot) { Expectation = "reminder:1" },
            CancellationToken.None);

        Assert.Empty(await host.Store.ListDeadTimersAsync(10, CancellationToken.None));
        Time.Advance(SampleApproval.ReminderAfter);
        Assert.Equal(1, await host.Pump.RunOnceAsync(CancellationToken.None));
        Assert.Equal(2, (await LoadAsync(host)).Data.RemindersSent);
    }

    [Fact]
    public async Task An_activity_whose_result_can_never_be_reported_is_given_up_as_a_dead_letter_and_finishes_when_replayed()
    {
        var host = await HostAsync();
        await CreateAsync(host);
        Assert.Equal(FireOutcomeKind.Transitioned, (await host.Engine.FireAsync(WorkflowTrigger.For(SampleApproval.Type, "a1", ApprovalTrigger.Approve, Ben),
            CancellationToken.None)).Kind);
        var repair = await PoisonAsync(host);

        // Each report fails; the one after it finds the result's key claimed without an outcome (in doubt: not counted) until that
        // claim is abandoned, and fails again.
        for (var round = 0; round < 3 * host.Runner.GiveUpAfter && (await host.Store.ListDeadWorkAsync(1, CancellationToken.None)).Count == 0; round++)
        {
            Assert.Equal(0, await host.Runner.RunOnceAsync(CancellationToken.None));
            Time.Advance(OutcomeInDoubtException.AbandonedAfter);
        }

        var dead = Assert.Single(await host.Store.ListDeadWorkAsync(10, CancellationToken.None));
        Assert.Equal((WorkQueues.Activities, host.Runner.GiveUpAfter), (dead.Queue, dead.Attempts));
        Assert.StartsWith($"{SampleApproval.Type}/a1/", dead.Id, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(dead.LastError));
        Assert.Empty(await host.Store.ListPendingWorkAsync(WorkQueues.Activities, 10, CancellationToken.None));
        Assert.Null(await host.Store.NextWorkDueAsync(WorkQueues.Activities, CancellationToken.None));
        Assert.Equal(1, (await host.Store.CountAllDeadLettersAsync(CancellationToken.None)).Work(WorkQueues.Activities));
        // The call went out once; the later attempts found it done and only failed to report it.
        Assert.Equal(1, host.World.Calls);

        await repair();
        Assert.True(await host.Store.ReplayDeadWorkAsync(dead.Id, CancellationToken.None));
        Assert.Equal(1, await host.Runner.RunOnceAsync(CancellationToken.None));

        Assert.Equal(ApprovalState.Applied, (await LoadAsync(host)).CurrentState);
        Assert.Equal(1, host.World.Calls);
        Assert.Equal(0, (await host.Store.CountAllDeadLettersAsync(CancellationToken.None)).Total);
    }
}
