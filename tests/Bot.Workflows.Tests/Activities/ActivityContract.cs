using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Workflows.Tests.Activities;

/// <summary>
/// Activities end to end through the engine and the runner, on every store: run once after the save, reconciled
/// with the live world after a crash at each step, retried when transient, reported at once when permanent, never
/// run twice by two hosts. "Hosts" are independent store objects, engines and runners on one database; "killing" a
/// host means dropping it and letting another take over after the lease.
/// </summary>
public abstract class ActivityContract : IAsyncLifetime
{
    private static readonly WorkflowActor Ana = new("U0ANA", "ana");
    private static readonly WorkflowActor Ben = new("U0BEN", "ben");

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero));
    private readonly SampleWorld _world = new();

    protected abstract Task<IWorkflowStore> OpenStoreAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;
    public virtual Task DisposeAsync() => Task.CompletedTask;

    private async Task<WorkflowHost> HostAsync()
    {
        var store = await OpenStoreAsync();
        await store.InitializeAsync(CancellationToken.None);
        return new WorkflowHost(store, Time, world: _world);
    }

    private static async Task ApproveAsync(WorkflowHost host, string id = "a1")
    {
        await host.Engine.CreateAsync(SampleApproval.New(id, "C0OPS", $"release {id}", Ana), Ana, null, null, CancellationToken.None);
        var approved = await host.Engine.FireAsync(WorkflowTrigger.For(SampleApproval.Type, id, ApprovalTrigger.Approve, Ben), CancellationToken.None);
        Assert.Equal(FireOutcomeKind.Transitioned, approved.Kind);
    }

    private static async Task<SampleApproval> LoadAsync(WorkflowHost host, string id = "a1") =>
        (SampleApproval)SampleApproval.Definition.Restore((await host.Store.LoadAsync(SampleApproval.Type, id, CancellationToken.None))!);

    [Fact]
    public async Task An_approved_activity_runs_once_after_the_save_and_reports_back()
    {
        var host = await HostAsync();
        await ApproveAsync(host);
        Assert.Equal(0, _world.Calls); // nothing left the process with the transition

        Assert.Equal(1, await host.Runner.RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await host.Runner.RunOnceAsync(CancellationToken.None));

        var approval = await LoadAsync(host);
        Assert.Equal((ApprovalState.Applied, "release a1 is live"), (approval.CurrentState, approval.Data.Result));
        Assert.Equal(1, _world.Calls);
        Assert.Empty(await host.Store.ListPendingWorkAsync(WorkQueues.Activities, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_host_killed_after_the_save_loses_nothing_another_runs_the_activity()
    {
        var dying = await HostAsync();
        await ApproveAsync(dying);
        // dies here: saved, not run
        var survivor = await HostAsync();

        await survivor.Runner.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ApprovalState.Applied, (await LoadAsync(survivor)).CurrentState);
        Assert.Equal(1, _world.Calls);
    }

    [Fact]
    public async Task A_host_killed_after_claiming_leaves_the_activity_to_another_after_the_lease()
    {
        var dying = await HostAsync();
        var survivor = await HostAsync();
        await ApproveAsync(dying);
        Assert.Single(await dying.Store.ClaimWorkAsync(WorkQueues.Activities, Time.GetUtcNow(), dying.Runner.Owner, Bot.Workflows.Activities.ActivityRunner.DefaultLease, 10, CancellationToken.None));
        // dies here, before calling anything

        Assert.Equal(0, await survivor.Runner.RunOnceAsync(CancellationToken.None));
        Time.Advance(Bot.Workflows.Activities.ActivityRunner.DefaultLease);
        Assert.Equal(1, await survivor.Runner.RunOnceAsync(CancellationToken.None));

        Assert.Equal(ApprovalState.Applied, (await LoadAsync(survivor)).CurrentState);
        Assert.Equal(1, _world.Calls);
    }

    [Fact]
    public async Task A_host_killed_after_the_call_took_effect_is_reconciled_without_calling_again()
    {
        var dying = await HostAsync();
        await ApproveAsync(dying);
        _world.DieAfterApplying = new OperationCanceledException("the process died");

        // Nothing is reported: the failure is recorded on the activity alone, which another host takes up.
        Assert.Equal(0, await dying.Runner.RunOnceAsync(CancellationToken.None));
        Assert.Equal(ApprovalState.Applying, (await LoadAsync(dying)).CurrentState);
        var survivor = await HostAsync();
        Time.Advance(Bot.Workflows.Activities.ActivityRunner.DefaultLease);
        await survivor.Runner.RunOnceAsync(CancellationToken.None);

        var approval = await LoadAsync(survivor);
        Assert.Equal((ApprovalState.Applied, "release a1 was already applied"), (approval.CurrentState, approval.Data.Result));
        Assert.Equal(1, _world.Calls);
    }

    [Fact]
    public async Task A_result_whose_report_died_between_its_claim_and_its_commit_is_recorded_by_the_next_run_without_waiting_for_the_claim()
    {
        var host = await HostAsync();
        await ApproveAsync(host);
        var item = Assert.Single(await host.Store.ListPendingWorkAsync(WorkQueues.Activities, 10, CancellationToken.None));
        // An earlier run reported its result: the key was claimed, then the commit failed (the store went away) and the lease ran out.
        Assert.True((await host.Store.ClaimAsync($"activity:{item.Id}", TimeSpan.FromDays(7), CancellationToken.None)).IsFirst);

        // The next run holds the activity's lease, which fences the commit: no earlier report can still land, so it is not in doubt.
        Assert.Equal(1, await host.Runner.RunOnceAsync(CancellationToken.None));

        Assert.Equal(ApprovalState.Applied, (await LoadAsync(host)).CurrentState);
        Assert.Empty(await host.Store.ListPendingWorkAsync(WorkQueues.Activities, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Transient_failures_are_retried_with_backoff_until_they_succeed()
    {
        var host = await HostAsync();
        await ApproveAsync(host);
        _world.Failures.Enqueue(new PortException("Throttling", "AWS is throttling the calls", transient: true));
        _world.Failures.Enqueue(new PortException("ServiceUnavailable", "AWS answered 503", transient: true));

        Assert.Equal(0, await host.Runner.RunOnceAsync(CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, await host.Runner.RunOnceAsync(CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(0, await host.Runner.RunOnceAsync(CancellationToken.None)); // second backoff is 4 s
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await host.Runner.RunOnceAsync(CancellationToken.None));

        Assert.Equal(ApprovalState.Applied, (await LoadAsync(host)).CurrentState);
        Assert.Equal(3, _world.Calls);
    }

    [Fact]
    public async Task A_permanent_failure_goes_back_to_the_aggregate_at_once_in_words()
    {
        var host = await HostAsync();
        await ApproveAsync(host);
        _world.Failures.Enqueue(new PortException("AccessDenied", "The bot's role may not update this alias (lambda:UpdateAlias).", transient: false));

        Assert.Equal(1, await host.Runner.RunOnceAsync(CancellationToken.None));

        var approval = await LoadAsync(host);
        Assert.Equal((ApprovalState.ApplyFailed, "The bot's role may not update this alias (lambda:UpdateAlias)."), (approval.CurrentState, approval.Data.Result));
        var audit = await host.Audit.ListAsync(new Bot.Workflows.Audit.AuditQuery(Limit: 1), CancellationToken.None);
        Assert.Contains("failed: AccessDenied", audit[0].DetailsJson);
    }

    [Fact]
    public async Task Transient_failures_give_up_after_the_last_attempt()
    {
        var host = await HostAsync();
        await ApproveAsync(host);
        for (var i = 0; i < Bot.Workflows.Activities.ActivityRunner.MaxAttempts; i++)
            _world.Failures.Enqueue(new PortException("Throttling", "AWS is throttling the calls", transient: true));

        for (var i = 0; i < Bot.Workflows.Activities.ActivityRunner.MaxAttempts; i++)
        {
            await host.Runner.RunOnceAsync(CancellationToken.None);
            Time.Advance(Bot.Workflows.Activities.ActivityRunner.MaxBackoff);
        }

        var approval = await LoadAsync(host);
        Assert.Equal(ApprovalState.ApplyFailed, approval.CurrentState);
        Assert.Equal($"Gave up after {Bot.Workflows.Activities.ActivityRunner.MaxAttempts} attempts: AWS is throttling the calls", approval.Data.Result);
    }

    [Fact]
    public async Task A_world_someone_else_changed_fails_the_activity_without_calling()
    {
        var host = await HostAsync();
        await ApproveAsync(host);
        _world.Tampered["a1"] = "release 0.9 (by hand)";

        await host.Runner.RunOnceAsync(CancellationToken.None);

        var approval = await LoadAsync(host);
        Assert.Equal((ApprovalState.ApplyFailed, "someone else set it to release 0.9 (by hand)"), (approval.CurrentState, approval.Data.Result));
        Assert.Equal(0, _world.Calls);
    }

    [Fact]
    public async Task Two_hosts_running_rounds_at_once_call_the_provider_once_per_activity()
    {
        var a = await HostAsync();
        var b = await HostAsync();
        for (var i = 0; i < 5; i++) await ApproveAsync(a, $"a{i}");

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).Runner.RunOnceAsync(CancellationToken.None))));

        Assert.Equal(5, _world.Calls);
        for (var i = 0; i < 5; i++) Assert.Equal(ApprovalState.Applied, (await LoadAsync(a, $"a{i}")).CurrentState);
    }

    [Fact]
    public async Task The_requester_is_told_the_outcome_directly()
    {
        var host = await HostAsync();
        await ApproveAsync(host);
        await host.Runner.RunOnceAsync(CancellationToken.None);

        await host.DrainOutboxAsync();

        Assert.Contains(host.Chat.Deliveries, d => d.Channel == "U0ANA" && d.Text == "release a1 was applied.");
    }
}
