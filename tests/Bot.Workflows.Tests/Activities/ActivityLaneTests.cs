using Bot.Testing.Workflows;
using Bot.Workflows.Changes;
using Bot.Workflows.Incidents;
using Bot.Workflows.Storage;
using static Bot.Testing.Workflows.ChangeHost;

namespace Bot.Workflows.Tests.Activities;

/// <summary>Activities run in lanes: a change's (deploy, rollback, preflight, watch) never waits behind an incident's PagerDuty calls.</summary>
public sealed class ActivityLaneTests : IncidentStoreTests
{
    [Fact]
    public async Task A_deploy_runs_while_the_incidents_lane_waits_on_a_slow_pagerduty_call()
    {
        var incidents = new IncidentHost(Store, Time);
        var changes = new ChangeHost(Store, Time);
        await incidents.OpenAsync();
        await incidents.ClickAsync(IncidentTrigger.Acknowledge, IncidentHost.Rob);
        Assert.Single(await Store.ListPendingWorkAsync(WorkQueues.IncidentActivities, 10, CancellationToken.None));
        // PagerDuty answers the acknowledgement slowly (a storm's 429s): the incidents' runner is held up on it.
        var slow = new Gate();
        incidents.Pager.BeforeWrite = _ => slow.PassAsync();
        var acknowledging = Task.Run(() => incidents.Runner.RunOnceAsync(CancellationToken.None));
        await slow.Reached;

        await changes.RequestAsync(DeployData());
        await changes.FireAsync(ChangeTrigger.Approve, Ben);
        await changes.SettleAsync();

        Assert.Equal(("8", ChangeState.Verifying), (changes.Cloud.AliasVersion(Fn), (await changes.LoadAsync()).CurrentState));
        Assert.Empty(incidents.Pager.Writes);
        slow.Open();
        Assert.Equal(1, await acknowledging);
        Assert.Equal("acknowledge", Assert.Single(incidents.Pager.Writes).Action);
        Assert.Empty(await Store.ListPendingWorkAsync(WorkQueues.IncidentActivities, 10, CancellationToken.None));
    }
}
