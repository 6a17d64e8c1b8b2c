using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;
using static Bot.Testing.Workflows.ChangeHost;

namespace Bot.Workflows.Tests.Changes;

/// <summary>Running an approved change: the live-state check, the move, the watch, the automatic and the one-click rollback.</summary>
public sealed class ChangeExecutionTests : ChangeTests
{
    private async Task ApprovedDeployAsync(ChangeData? data = null)
    {
        await Host.RequestAsync(data ?? DeployData());
        Assert.Equal("Approved", (await Host.FireAsync(ChangeTrigger.Approve, Ben)).To);
        await Host.SettleAsync();
    }

    [Fact]
    public async Task An_approved_deploy_moves_the_alias_after_the_save_and_completes_after_a_healthy_window()
    {
        await Host.RequestAsync(DeployData());
        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        Assert.Equal("7", Host.Cloud.AliasVersion(Fn)); // nothing moved with the approval itself

        await Host.SettleAsync();
        Assert.Equal(("8", ChangeState.Verifying), (Host.Cloud.AliasVersion(Fn), (await Host.LoadAsync()).CurrentState));
        await Host.WatchAsync(TimeSpan.FromMinutes(10));

        var change = await Host.LoadAsync();
        Assert.Equal((ChangeState.Completed, 10), (change.CurrentState, change.Data.Checks));
        Assert.Equal(1, Host.Cloud.Writes);
    }

    [Fact]
    public async Task Errors_above_the_threshold_roll_the_alias_back_by_themselves()
    {
        await ApprovedDeployAsync();
        Host.Cloud.Errors["8"] = 40;

        await Host.WatchAsync(TimeSpan.FromMinutes(2));

        var change = await Host.LoadAsync();
        Assert.Equal(ChangeState.RolledBack, change.CurrentState);
        Assert.Equal("7", Host.Cloud.AliasVersion(Fn));
        Assert.StartsWith("40 error(s) in 1000 invocation(s) through PROD since the move, above the 5 allowed", change.Data.RollbackReason);
    }

    [Fact]
    public async Task Errors_within_the_pre_deploy_rate_do_not_roll_back()
    {
        Host.Cloud.Errors["7"] = 100; // 10 % of the calls before the deploy
        await ApprovedDeployAsync();
        Host.Cloud.Errors["8"] = 104; // about the same rate after it

        await Host.WatchAsync(TimeSpan.FromMinutes(5));

        Assert.Equal(ChangeState.Verifying, (await Host.LoadAsync()).CurrentState);
    }

    [Fact]
    public async Task Execution_stops_when_the_alias_moved_since_the_approval_and_says_what_it_found()
    {
        await Host.RequestAsync(DeployData());
        Host.Cloud.MoveByHand(Fn, "6");
        await Host.FireAsync(ChangeTrigger.Approve, Ben);

        await Host.SettleAsync();

        var change = await Host.LoadAsync();
        Assert.Equal(ChangeState.Failed, change.CurrentState);
        Assert.Equal("PROD of securebase-prod-user-management points at version 6 now, not 7 as approved; nothing was changed.", change.Data.Finding);
        Assert.Equal(("6", 0), (Host.Cloud.AliasVersion(Fn), Host.Cloud.Writes));
    }

    [Fact]
    public async Task Execution_stops_when_the_approved_version_has_other_code_now()
    {
        await Host.RequestAsync(DeployData());
        Host.Cloud.ReplaceCode(Fn, "8", "sha-tampered");
        await Host.FireAsync(ChangeTrigger.Approve, Ben);

        await Host.SettleAsync();

        var change = await Host.LoadAsync();
        Assert.Equal(ChangeState.Failed, change.CurrentState);
        Assert.StartsWith("version 8 of securebase-prod-user-management has code sha-tampered, not sha-eight as approved", change.Data.Finding);
        Assert.Equal(0, Host.Cloud.Writes);
    }

    [Fact]
    public async Task A_prod_deploy_stops_when_staging_no_longer_runs_the_same_code_unless_it_is_an_emergency()
    {
        Host.Cloud.MoveByHand(StagingFn, "3");
        Host.Cloud.ReplaceCode(StagingFn, "3", "sha-other");
        await Host.RequestAsync(DeployData());
        var emergency = DeployData(ChangeCategory.Emergency);
        emergency.Spec.Function = Fn;
        await Host.RequestAsync(emergency, "CHG-2");

        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        await Host.SettleAsync();
        await Host.FireAsync(ChangeTrigger.Approve, Ben, id: "CHG-2");
        await Host.SettleAsync();

        Assert.Equal(ChangeState.Failed, (await Host.LoadAsync()).CurrentState);
        Assert.StartsWith("staging (securebase-staging-user-management) no longer runs this code", (await Host.LoadAsync()).Data.Finding);
        Assert.Equal(ChangeState.Verifying, (await Host.LoadAsync("CHG-2")).CurrentState);
    }

    [Fact]
    public async Task Anyone_on_the_approved_side_can_roll_back_with_one_click_for_a_day_without_a_second_approval()
    {
        await ApprovedDeployAsync();
        await Host.WatchAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(ChangeState.Completed, (await Host.LoadAsync()).CurrentState);

        var stranger = await Host.FireAsync(ChangeTrigger.RollBack, Eve, "no reason");
        var responder = await Host.FireAsync(ChangeTrigger.RollBack, Rob, "login errors in the support queue");
        await Host.SettleAsync();

        Assert.Equal(["Rolling back needs to be the requester, an approver or an incident responder."], stranger.Reasons);
        Assert.Equal("RollingBack", responder.To);
        var change = await Host.LoadAsync();
        Assert.Equal((ChangeState.RolledBack, "rob", "login errors in the support queue"), (change.CurrentState, change.Data.RolledBackBy, change.Data.RollbackReason));
        Assert.Equal("7", Host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task The_one_click_rollback_closes_after_its_window()
    {
        await ApprovedDeployAsync();
        await Host.WatchAsync(TimeSpan.FromMinutes(10));

        Time.Advance(TimeSpan.FromHours(24));
        await Host.SettleAsync();
        var late = await Host.FireAsync(ChangeTrigger.RollBack, Ana, "too late");

        Assert.Equal(FireOutcomeKind.Refused, late.Kind);
        Assert.Null((await Host.LoadAsync()).Data.RollbackUntil);
    }

    [Fact]
    public async Task A_rollback_finds_the_alias_moved_by_someone_else_and_changes_nothing()
    {
        await ApprovedDeployAsync();
        Host.Cloud.MoveByHand(Fn, "6");

        await Host.FireAsync(ChangeTrigger.RollBack, Ana, "by hand");
        await Host.SettleAsync();

        var change = await Host.LoadAsync();
        Assert.Equal(ChangeState.Failed, change.CurrentState);
        Assert.Equal("6", Host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task A_host_killed_after_moving_the_alias_is_reconciled_by_the_next_without_moving_it_twice()
    {
        await Host.RequestAsync(DeployData());
        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        await Host.Runner.RunOnceAsync(CancellationToken.None); // preflight passes, the move is queued
        Host.Cloud.FailNextWrite = null;
        var moveClaimed = await Host.Store.ClaimWorkAsync(Bot.Workflows.Storage.WorkQueues.Activities, Time.GetUtcNow(), "dying-host", Bot.Workflows.Activities.ActivityRunner.DefaultLease, 10, CancellationToken.None);
        Assert.Single(moveClaimed);
        var alias = await Host.Cloud.GetAliasAsync(Fn, "PROD", CancellationToken.None);
        await Host.Cloud.MoveAliasAsync(Fn, "PROD", "8", alias.RevisionId, CancellationToken.None); // the dying host got this far

        Time.Advance(Bot.Workflows.Activities.ActivityRunner.DefaultLease);
        await Host.SettleAsync();

        Assert.Equal((ChangeState.Verifying, 1), ((await Host.LoadAsync()).CurrentState, Host.Cloud.Writes));
        for (var i = 0; i < 50 && await Host.Store.CountPendingOutboxAsync(CancellationToken.None) > 0; i++)
        {
            await Host.Sender.RunOnceAsync(CancellationToken.None);
            Time.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Contains(Host.Chat.Deliveries, d => d.Text == "The bot was interrupted after moving the alias; on restart it found PROD already points at version 8 and did not move it again.");
    }

    [Fact]
    public async Task A_configuration_change_keeps_secret_values_off_the_card_and_the_audit_trail_and_applies_them()
    {
        var data = await Host.ConfigDataAsync(("DB_PASSWORD", "hunter2-new"), ("LOG_LEVEL", "debug"));
        data.Spec.MemoryFrom = 512;
        data.Spec.MemoryTo = 1024;
        await Host.RequestAsync(data);
        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        await Host.FireAsync(ChangeTrigger.Approve, Dee);
        await Host.SettleAsync();
        for (var i = 0; i < 50 && await Host.Store.CountPendingOutboxAsync(CancellationToken.None) > 0; i++)
        {
            await Host.Sender.RunOnceAsync(CancellationToken.None);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        var change = await Host.LoadAsync();
        Assert.Equal(ChangeState.Completed, change.CurrentState);
        Assert.Equal(("hunter2-new", "debug", 1024), (Host.Cloud.Settings(Fn).Environment["DB_PASSWORD"], Host.Cloud.Settings(Fn).Environment["LOG_LEVEL"], Host.Cloud.Settings(Fn).MemoryMb));
        Assert.Null(change.Data.Sealed);
        Assert.DoesNotContain(Host.Chat.Deliveries, d => System.Text.Json.JsonSerializer.Serialize(d.Content).Contains("hunter2", StringComparison.Ordinal));
        await foreach (var record in Host.Store.ReadAuditChainAsync(CancellationToken.None))
            Assert.DoesNotContain("hunter2", (record.DetailsJson ?? "") + record.Action, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configuration_change_requested_before_someone_else_changed_the_function_does_not_overwrite_it()
    {
        var data = DeployData();
        data.Spec = new ChangeSpec { Kind = ChangeKind.Configuration, Environment = "prod", Function = Fn, SettingsRevisionId = Host.Cloud.Settings(Fn).RevisionId, MemoryFrom = 512, MemoryTo = 1024 };
        await Host.RequestAsync(data);
        Host.Cloud.ChangeSettingsByHand(Fn);

        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        await Host.SettleAsync();

        Assert.Equal(ChangeState.Failed, (await Host.LoadAsync()).CurrentState);
        Assert.Equal(2048, Host.Cloud.Settings(Fn).MemoryMb);
    }

    [Fact]
    public async Task A_concurrency_change_sets_reserved_concurrency_once()
    {
        var data = DeployData();
        data.Spec = new ChangeSpec { Kind = ChangeKind.ReservedConcurrency, Environment = "prod", Function = Fn, ConcurrencyFrom = null, ConcurrencyTo = 50 };
        await Host.RequestAsync(data);

        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        await Host.SettleAsync();

        Assert.Equal(ChangeState.Completed, (await Host.LoadAsync()).CurrentState);
        Assert.Equal(50, await Host.Cloud.GetReservedConcurrencyAsync(Fn, CancellationToken.None));
    }

    [Fact]
    public async Task AWS_refusing_the_move_fails_the_change_in_words_and_leaves_the_alias()
    {
        await Host.RequestAsync(DeployData());
        Host.Cloud.FailNextWrite = new PortException("AccessDenied", "the bot's IAM role may not call lambda:UpdateAlias.", transient: false);

        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        await Host.SettleAsync();

        var change = await Host.LoadAsync();
        Assert.Equal((ChangeState.Failed, "the bot's IAM role may not call lambda:UpdateAlias."), (change.CurrentState, change.Data.Finding));
        Assert.Equal("7", Host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task Throttling_is_retried_until_the_move_goes_through()
    {
        await Host.RequestAsync(DeployData());
        Host.Cloud.FailNextWrite = new PortException("Throttled", "Lambda is throttling the bot's calls.", transient: true);

        await Host.FireAsync(ChangeTrigger.Approve, Ben);
        await Host.SettleAsync();
        Time.Advance(TimeSpan.FromSeconds(5));
        await Host.SettleAsync();

        Assert.Equal(("8", ChangeState.Verifying), (Host.Cloud.AliasVersion(Fn), (await Host.LoadAsync()).CurrentState));
    }
}
