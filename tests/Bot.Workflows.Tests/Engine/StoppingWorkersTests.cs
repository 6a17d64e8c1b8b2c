using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Engine;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Workflows.Tests.Engine;

/// <summary>
/// Shutdown of the timer pump and the activity runner: what is under way is finished, what was claimed and not started
/// is given back at once, so another instance takes it without waiting for the lease to run out.
/// </summary>
public sealed class StoppingWorkersTests : IDisposable
{
    private static readonly WorkflowActor Ana = new("U0ANA", "ana");
    private static readonly WorkflowActor Ben = new("U0BEN", "ben");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero));
    private readonly string _path = TestStorage.NewSqlitePath();
    private readonly CancellationTokenSource _stopping = new();

    public void Dispose()
    {
        _stopping.Dispose();
        TestStorage.Delete(_path);
    }

    /// <summary>How many aggregates the stopping host loaded: each firing or activity starts with one.</summary>
    private int _loads;

    /// <summary>A host whose store asks the host to stop the moment the first aggregate is loaded (a shutdown mid-round).</summary>
    private async Task<(WorkflowHost Stopping, WorkflowHost Other)> TwoHostsAsync()
    {
        var store = new SqliteWorkflowStore(_path, _time);
        await store.InitializeAsync(CancellationToken.None);
        // The real store, which cancels _stopping on the first LoadAsync.
        var (stoppingStore, _) = StoreSpy.Wrap(store, method =>
        {
            if (method.Name != nameof(IWorkflowStore.LoadAsync)) return;
            Interlocked.Increment(ref _loads);
            _stopping.Cancel();
        });
        var stopping = new WorkflowHost(stoppingStore, _time);
        var other = new WorkflowHost(new SqliteWorkflowStore(_path, _time), _time);
        return (stopping, other);
    }

    [Fact]
    public async Task A_pump_stopped_mid_round_fires_the_timer_under_way_and_gives_the_rest_back()
    {
        var (stopping, other) = await TwoHostsAsync();
        foreach (var id in new[] { "a1", "a2", "a3" })
            await other.Engine.CreateAsync(SampleApproval.New(id, "C0OPS", "deploy " + id, Ana), Ana, "req-" + id, null, CancellationToken.None);
        _time.Advance(SampleApproval.ReminderAfter);

        var fired = await stopping.Pump.RunOnceAsync(_stopping.Token);
        var takenAtOnce = await other.Store.ClaimDueTimersAsync(_time.GetUtcNow(), "other", TimeSpan.FromMinutes(1), 10, CancellationToken.None);

        // The timers fire concurrently: each one that had started when the stop came is finished (at least the first,
        // which asked for the stop), and every one that had not is given back at once.
        Assert.True(_stopping.IsCancellationRequested);
        Assert.InRange(fired, 1, 3);
        Assert.Equal(Volatile.Read(ref _loads), fired);
        Assert.Equal(3 - fired, takenAtOnce.Count);
    }

    [Fact]
    public async Task A_runner_stopped_mid_round_reports_the_activity_under_way_and_hands_the_rest_back()
    {
        var (stopping, other) = await TwoHostsAsync();
        foreach (var id in new[] { "a1", "a2" })
        {
            await other.Engine.CreateAsync(SampleApproval.New(id, "C0OPS", "deploy " + id, Ana), Ana, "req-" + id, null, CancellationToken.None);
            await other.Engine.FireAsync(new WorkflowTrigger(SampleApproval.Type, id, nameof(ApprovalTrigger.Approve), Ben), CancellationToken.None);
        }

        var settled = await stopping.Runner.RunOnceAsync(_stopping.Token);
        var takenAtOnce = await other.Store.ClaimWorkAsync(WorkQueues.Activities, _time.GetUtcNow(), "other", TimeSpan.FromMinutes(1), 10, CancellationToken.None);

        Assert.Equal(1, settled);
        Assert.Single(takenAtOnce);
        var states = new List<string>();
        foreach (var id in new[] { "a1", "a2" }) states.Add((await other.Store.LoadAsync(SampleApproval.Type, id, CancellationToken.None))!.State);
        Assert.Equal(["Applied", "Applying"], states.Order());
    }
}
