using Bot.Testing;
using Bot.Workflows.Changes;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;
using static Bot.Tests.Workflows.Changes.ChangeHost;

namespace Bot.Tests.Workflows.Changes;

/// <summary>Running an approved change: the live-state check, the move, the watch, the automatic and the one-click rollback.</summary>
public sealed class ChangeExecutionTests : IAsyncLifetime
{
    private readonly string _path = TestStorage.NewSqlitePath();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 14, 2, 0, TimeSpan.Zero));
    private ChangeHost _host = null!;

    public async Task InitializeAsync()
    {
        var store = new SqliteWorkflowStore(_path, _time);
        await store.InitializeAsync(CancellationToken.None);
        _host = new ChangeHost(store, _time);
    }

    public Task DisposeAsync()
    {
        TestStorage.Delete(_path);
        return Task.CompletedTask;
    }

    private async Task ApprovedDeployAsync(ChangeData? data = null)
    {
        await _host.RequestAsync(data ?? DeployData());
        Assert.Equal("Approved", (await _host.FireAsync(ChangeTrigger.Approve, Ben)).To);
        await _host.SettleAsync();
    }

    [Fact]
    public async Task An_approved_deploy_moves_the_alias_after_the_save_and_completes_after_a_healthy_window()
    {
        await _host.RequestAsync(DeployData());
        await _host.FireAsync(ChangeTrigger.Approve, Ben);
        Assert.Equal("7", _host.Cloud.AliasVersion(Fn)); // nothing moved with the approval itself

        await _host.SettleAsync();
        Assert.Equal(("8", ChangeState.Verifying), (_host.Cloud.AliasVersion(Fn), (await _host.LoadAsync()).CurrentState));
        await _host.WatchAsync(TimeSpan.FromMinutes(10));

        var change = await _host.LoadAsync();
        Assert.Equal((ChangeState.Completed, 10), (change.CurrentState, change.Data.Checks));
        Assert.Equal(1, _host.Cloud.Writes);
    }

    [Fact]
    public async Task Errors_above_the_threshold_roll_the_alias_back_by_themselves()
    {
        await ApprovedDeployAsync();
        _host.Cloud.Errors["8"] = 40;

        await _host.WatchAsync(TimeSpan.FromMinutes(2));

        var change = await _host.LoadAsync();
        Assert.Equal(ChangeState.RolledBack, change.CurrentState);
        Assert.Equal("7", _host.Cloud.AliasVersion(Fn));
        Assert.StartsWith("40 error(s) of version 8 since the deploy, above the", change.Data.RollbackReason);
    }

    [Fact]
    public async Task Errors_within_the_pre_deploy_rate_do_not_roll_back()
    {
        _host.Cloud.Errors["*"] = 100; // 10 a minute before the deploy
        await ApprovedDeployAsync();
        _host.Cloud.Errors["8"] = 12; // about the same rate after it

        await _host.WatchAsync(TimeSpan.FromMinutes(5));

        Assert.Equal(ChangeState.Verifying, (await _host.LoadAsync()).CurrentState);
    }

    [Fact]
    public async Task Execution_stops_when_the_alias_moved_since_the_approval_and_says_what_it_found()
    {
        await _host.RequestAsync(DeployData());
        _host.Cloud.MoveByHand(Fn, "6");
        await _host.FireAsync(ChangeTrigger.Approve, Ben);

        await _host.SettleAsync();

        var change = await _host.LoadAsync();
        Assert.Equal(ChangeState.Failed, change.CurrentState);
        Assert.Equal("PROD of securebase-prod-user-management points at version 6 now, not 7 as approved; nothing was changed.", change.Data.Finding);
        Assert.Equal(("6", 0), (_host.Cloud.AliasVersion(Fn), _host.Cloud.Writes));
    }

    [Fact]
    public async Task Execution_stops_when_the_approved_version_has_other_code_now()
    {
        await _host.RequestAsync(DeployData());
        _host.Cloud.ReplaceCode(Fn, "8", "sha-tampered");
        await _host.FireAsync(ChangeTrigger.Approve, Ben);

        await _host.SettleAsync();

        var change = await _host.LoadAsync();
        Assert.Equal(ChangeState.Failed, change.CurrentState);
        Assert.StartsWith("version 8 of securebase-prod-user-management has code sha-tampered, not sha-eight as approved", change.Data.Finding);
        Assert.Equal(0, _host.Cloud.Writes);
    }

    [Fact]
    public async Task A_prod_deploy_stops_when_staging_no_longer_runs_the_same_code_unless_it_is_an_emergency()
    {
        _host.Cloud.MoveByHand(StagingFn, "3");
        _host.Cloud.ReplaceCode(StagingFn, "3", "sha-other");
        await _host.RequestAsync(DeployData());
        var emergency = DeployData(ChangeCategory.Emergency);
        emergency.Spec.Function = Fn;
        await _host.RequestAsync(emergency, "CHG-2");

        await _host.FireAsync(ChangeTrigger.Approve, Ben);
        await _host.SettleAsync();
        await _host.FireAsync(ChangeTrigger.Approve, Ben, id: "CHG-2");
        await _host.SettleAsync();

        Assert.Equal(ChangeState.Failed, (await _host.LoadAsync()).CurrentState);
        Assert.StartsWith("staging (securebase-staging-user-management) no longer runs this code", (await _host.LoadAsync()).Data.Finding);
        Assert.Equal(ChangeState.Verifying, (await _host.LoadAsync("CHG-2")).CurrentState);
    }

    [Fact]
    public async Task Anyone_on_the_approved_side_can_roll_back_with_one_click_for_a_day_without_a_second_approval()
    {
        await ApprovedDeployAsync();
        await _host.WatchAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(ChangeState.Completed, (await _host.LoadAsync()).CurrentState);

        var stranger = await _host.FireAsync(ChangeTrigger.RollBack, Eve, "no reason");
        var responder = await _host.FireAsync(ChangeTrigger.RollBack, Rob, "login errors in the support queue");
        await _host.SettleAsync();

        Assert.Equal(["Rolling back needs to be the requester, an approver or an incident responder."], stranger.Reasons);
        Assert.Equal("RollingBack", responder.To);
        var change = await _host.LoadAsync();
        Assert.Equal((ChangeState.RolledBack, "rob", "login errors in the support queue"), (change.CurrentState, change.Data.RolledBackBy, change.Data.RollbackReason));
        Assert.Equal("7", _host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task The_one_click_rollback_closes_after_its_window()
    {
        await ApprovedDeployAsync();
        await _host.WatchAsync(TimeSpan.FromMinutes(10));

        _time.Advance(TimeSpan.FromHours(24));
        await _host.SettleAsync();
        var late = await _host.FireAsync(ChangeTrigger.RollBack, Ana, "too late");

        Assert.Equal(FireOutcomeKind.Refused, late.Kind);
        Assert.Null((await _host.LoadAsync()).Data.RollbackUntil);
    }

    [Fact]
    public async Task A_rollback_finds_the_alias_moved_by_someone_else_and_changes_nothing()
    {
        await ApprovedDeployAsync();
        _host.Cloud.MoveByHand(Fn, "6");

        await _host.FireAsync(ChangeTrigger.RollBack, Ana, "by hand");
        await _host.SettleAsync();

        var change = await _host.LoadAsync();
        Assert.Equal(ChangeState.Failed, change.CurrentState);
        Assert.Equal("6", _host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task A_host_killed_after_moving_the_alias_is_reconciled_by_the_next_without_moving_it_twice()
    {
        await _host.RequestAsync(DeployData());
        await _host.FireAsync(ChangeTrigger.Approve, Ben);
        await _host.Runner.RunOnceAsync(CancellationToken.None); // preflight passes, the move is queued
        _host.Cloud.FailNextWrite = null;
        var moveClaimed = await _host.Store.ClaimWorkAsync(Bot.Workflows.Storage.WorkQueues.Activities, _time.GetUtcNow(), "dying-host", Bot.Workflows.Activities.ActivityRunner.Lease, 10, CancellationToken.None);
        Assert.Single(moveClaimed);
        var alias = await _host.Cloud.GetAliasAsync(Fn, "PROD", CancellationToken.None);
        await _host.Cloud.MoveAliasAsync(Fn, "PROD", "8", alias.RevisionId, CancellationToken.None); // the dying host got this far

        _time.Advance(Bot.Workflows.Activities.ActivityRunner.Lease);
        await _host.SettleAsync();

        Assert.Equal((ChangeState.Verifying, 1), ((await _host.LoadAsync()).CurrentState, _host.Cloud.Writes));
    }

    [Fact]
    public async Task A_configuration_change_keeps_secret_values_off_the_card_and_the_audit_trail_and_applies_them()
    {
        var settings = _host.Cloud.Settings(Fn);
        var spec = new ChangeSpec
        {
            Kind = ChangeKind.Configuration, Environment = "prod", Function = Fn, SettingsRevisionId = settings.RevisionId,
            Edits = [new ConfigEdit("DB_PASSWORD", ChangeSpec.Mask("old-secret"), ChangeSpec.Mask("hunter2-new"), Secret: true), new ConfigEdit("LOG_LEVEL", "info", "debug", Secret: false)],
            SealedValueHashes = { ["DB_PASSWORD"] = ChangeSpec.HashOf("hunter2-new") },
            MemoryFrom = 512, MemoryTo = 1024,
        };
        var data = DeployData();
        data.Spec = spec;
        data.SecurityRelevant = true;
        data.SealedValues["DB_PASSWORD"] = "hunter2-new";
        await _host.RequestAsync(data);
        await _host.FireAsync(ChangeTrigger.Approve, Ben);
        await _host.FireAsync(ChangeTrigger.Approve, Dee);
        await _host.SettleAsync();
        for (var i = 0; i < 50 && await _host.Store.CountPendingOutboxAsync(CancellationToken.None) > 0; i++)
        {
            await _host.Sender.RunOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var change = await _host.LoadAsync();
        Assert.Equal(ChangeState.Completed, change.CurrentState);
        Assert.Equal(("hunter2-new", "debug", 1024), (_host.Cloud.Settings(Fn).Environment["DB_PASSWORD"], _host.Cloud.Settings(Fn).Environment["LOG_LEVEL"], _host.Cloud.Settings(Fn).MemoryMb));
        Assert.Empty(change.Data.SealedValues);
        Assert.DoesNotContain(_host.Chat.Deliveries, d => System.Text.Json.JsonSerializer.Serialize(d.Content).Contains("hunter2", StringComparison.Ordinal));
        await foreach (var record in _host.Store.ReadAuditChainAsync(CancellationToken.None))
            Assert.DoesNotContain("hunter2", (record.DetailsJson ?? "") + record.Action, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configuration_change_requested_before_someone_else_changed_the_function_does_not_overwrite_it()
    {
        var data = DeployData();
        data.Spec = new ChangeSpec { Kind = ChangeKind.Configuration, Environment = "prod", Function = Fn, SettingsRevisionId = _host.Cloud.Settings(Fn).RevisionId, MemoryFrom = 512, MemoryTo = 1024 };
        await _host.RequestAsync(data);
        _host.Cloud.ChangeSettingsByHand(Fn);

        await _host.FireAsync(ChangeTrigger.Approve, Ben);
        await _host.SettleAsync();

        Assert.Equal(ChangeState.Failed, (await _host.LoadAsync()).CurrentState);
        Assert.Equal(2048, _host.Cloud.Settings(Fn).MemoryMb);
    }

    [Fact]
    public async Task A_concurrency_change_sets_reserved_concurrency_once()
    {
        var data = DeployData();
        data.Spec = new ChangeSpec { Kind = ChangeKind.ReservedConcurrency, Environment = "prod", Function = Fn, ConcurrencyFrom = null, ConcurrencyTo = 50 };
        await _host.RequestAsync(data);

        await _host.FireAsync(ChangeTrigger.Approve, Ben);
        await _host.SettleAsync();

        Assert.Equal(ChangeState.Completed, (await _host.LoadAsync()).CurrentState);
        Assert.Equal(50, await _host.Cloud.GetReservedConcurrencyAsync(Fn, CancellationToken.None));
    }

    [Fact]
    public async Task AWS_refusing_the_move_fails_the_change_in_words_and_leaves_the_alias()
    {
        await _host.RequestAsync(DeployData());
        _host.Cloud.FailNextWrite = new PortException("AccessDenied", "the bot's IAM role may not call lambda:UpdateAlias.", transient: false);

        await _host.FireAsync(ChangeTrigger.Approve, Ben);
        await _host.SettleAsync();

        var change = await _host.LoadAsync();
        Assert.Equal((ChangeState.Failed, "the bot's IAM role may not call lambda:UpdateAlias."), (change.CurrentState, change.Data.Finding));
        Assert.Equal("7", _host.Cloud.AliasVersion(Fn));
    }

    [Fact]
    public async Task Throttling_is_retried_until_the_move_goes_through()
    {
        await _host.RequestAsync(DeployData());
        _host.Cloud.FailNextWrite = new PortException("Throttled", "Lambda is throttling the bot's calls.", transient: true);

        await _host.FireAsync(ChangeTrigger.Approve, Ben);
        await _host.SettleAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        await _host.SettleAsync();

        Assert.Equal(("8", ChangeState.Verifying), (_host.Cloud.AliasVersion(Fn), (await _host.LoadAsync()).CurrentState));
    }
}
