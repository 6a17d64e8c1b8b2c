using Bot.Testing.Workflows;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;
using static Bot.Testing.Workflows.ChangeHost;

namespace Bot.Workflows.Tests.Changes.Adversary;

/// <summary>
/// Hole 7: when the errors could not be read at the end the change completed "Verified"; zero invocations counted as
/// healthy; a 40-second window read CloudWatch minutes that were not published yet and said "Verified: 0 error(s)" of a
/// version failing 90 % of its calls. Now the watch reads whole, published periods, compares rates, and fails closed.
/// </summary>
public abstract class TheWatchFailsClosed : ChangeTests
{
    private async Task DeployedAsync(ChangeData? data = null)
    {
        await Host.RequestAsync(data ?? DeployData());
        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        await Host.SettleAsync();
        Assert.Equal(ChangeState.Verifying, (await Host.LoadAsync()).CurrentState);
    }

    [Fact]
    public async Task Errors_unreadable_at_the_end_of_the_watch_end_not_verified_and_everyone_involved_is_told()
    {
        await DeployedAsync();
        await Host.WatchAsync(TimeSpan.FromMinutes(9));
        Host.Cloud.FailNextCount = new PortException("Throttled", "CloudWatch is throttling the bot's calls.", transient: false);

        await Host.WatchAsync(TimeSpan.FromMinutes(2));
        await DrainAsync();

        var change = await Host.LoadAsync();
        Assert.Equal(ChangeState.NotVerified, change.CurrentState);
        Assert.StartsWith("the error metrics could not be read at the end of the watch", change.Data.NotVerifiedReason);
        var card = Host.Chat.Deliveries.Last(d => d.Content.Card is not null).Content.Card!;
        Assert.StartsWith("NOT VERIFIED:", card.Status!.ToPlainText());
        Assert.Contains(card.Buttons, b => b.Label == "Roll back now");
        Assert.Contains(Host.Chat.Deliveries, d => d.Channel == Ana.UserId && d.Text.Contains("ended NOT VERIFIED", StringComparison.Ordinal));
        Assert.Contains(Host.Chat.Deliveries, d => d.Channel == Ben.UserId && d.Text.Contains("ended NOT VERIFIED", StringComparison.Ordinal));
        Assert.DoesNotContain(Host.Chat.Deliveries, d => d.Text.StartsWith("Verified", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_window_with_too_few_invocations_is_not_called_healthy()
    {
        Host.Cloud.Invocations["8"] = 3;
        await DeployedAsync();

        await Host.WatchAsync(TimeSpan.FromMinutes(11));

        var change = await Host.LoadAsync();
        Assert.Equal(ChangeState.NotVerified, change.CurrentState);
        Assert.StartsWith("only 3 invocation(s) through PROD in the watch window (at least 10 are needed", change.Data.NotVerifiedReason);
        Assert.Equal("8", Host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task The_watch_counts_only_published_whole_minutes_and_lasts_at_least_three_of_them_after_the_lag()
    {
        var data = DeployData();
        data.VerifyWindow = TimeSpan.FromSeconds(40);
        data.MetricLag = TimeSpan.FromMinutes(2);
        Time.Advance(TimeSpan.FromSeconds(20)); // the move lands mid-minute
        await DeployedAsync(data);

        var change = await Host.LoadAsync();
        Assert.Equal(Change.CeilingToPeriod(change.Data.AppliedAt!.Value, Change.LambdaMetricPeriod) + TimeSpan.FromMinutes(3) + TimeSpan.FromMinutes(2), change.Data.VerifyUntil);
        await Host.WatchAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(ChangeState.Verifying, (await Host.LoadAsync()).CurrentState);
        Assert.Equal(0, (await Host.LoadAsync()).Data.InvocationsSinceDeploy); // nothing published yet: nothing counted, nothing concluded
    }

    [Fact]
    public async Task A_version_failing_most_calls_is_rolled_back_on_its_error_rate()
    {
        Host.Cloud.Errors["7"] = 10; // 1 % before
        await DeployedAsync();
        Host.Cloud.Errors["8"] = 900; // 90 % after

        await Host.WatchAsync(TimeSpan.FromMinutes(2));

        var change = await Host.LoadAsync();
        Assert.Equal(ChangeState.RolledBack, change.CurrentState);
        Assert.StartsWith("900 error(s) in 1000 invocation(s) through PROD since the move, above the 15 allowed (pre-deploy rate 1% over the 10 minutes before, plus 5)", change.Data.RollbackReason);
        Assert.Equal("7", Host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task A_rollback_alarm_entering_ALARM_during_the_watch_rolls_the_deploy_back()
    {
        var data = DeployData();
        data.RollbackAlarms = ["securebase-prod-api-5xx"];
        Host.Cloud.AlarmsInAlarm["securebase-prod-api-5xx"] = Time.GetUtcNow() - TimeSpan.FromHours(1); // already in ALARM before: not this deploy's doing
        await DeployedAsync(data);
        await Host.WatchAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(ChangeState.Verifying, (await Host.LoadAsync()).CurrentState);

        Host.Cloud.AlarmsInAlarm["securebase-prod-api-5xx"] = Time.GetUtcNow();
        await Host.WatchAsync(TimeSpan.FromMinutes(1));

        var change = await Host.LoadAsync();
        Assert.Equal(ChangeState.RolledBack, change.CurrentState);
        Assert.Equal("the rollback alarm securebase-prod-api-5xx entered ALARM during the watch", change.Data.RollbackReason);
    }

    [Fact]
    public async Task A_healthy_window_completes_verified_with_its_numbers()
    {
        await DeployedAsync();

        await Host.WatchAsync(TimeSpan.FromMinutes(11));
        await DrainAsync();

        Assert.Equal(ChangeState.Completed, (await Host.LoadAsync()).CurrentState);
        Assert.Contains(Host.Chat.Deliveries, d => d.Text.StartsWith("Verified: 0 error(s) in 1000 invocation(s) through PROD in the watch window", StringComparison.Ordinal));
    }
}
