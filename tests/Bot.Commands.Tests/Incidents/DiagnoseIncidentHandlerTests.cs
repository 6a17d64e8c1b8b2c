using System.Text.Json;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.Aws.Lambda;
using Bot.Integrations.Aws.Logs;
using Bot.Commands.Changes;
using Bot.Integrations.Aws;
using Bot.Commands.Cloud;
using Bot.Commands.Incidents.Diagnostics;
using Bot.Testing;
using Bot.Commands.Tests.Cloud;
using Bot.Testing.Workflows;
using Bot.Workflows.Activities;
using Bot.Workflows.Changes;
using Bot.Workflows.Incidents;
using Bot.Workflows.Incidents.Activities;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Commands.Tests.Incidents;

/// <summary>The playbooks' investigation against the sandbox account (real clients over HTTP), and the rollback it finds in the Change workflow.</summary>
public sealed class DiagnoseIncidentHandlerTests : IAsyncLifetime
{
    private const string Function = "securebase-prod-user-management";
    private readonly string _path = TestStorage.NewSqlitePath();
    private SandboxCloud _cloud = null!;
    /// <summary>The sandbox's clock: CloudWatch shows only whole minutes, so a test lets a few pass after a fault begins.</summary>
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private SqliteWorkflowStore _store = null!;

    public async Task InitializeAsync()
    {
        _cloud = await SandboxCloud.StartAsync(time: _time);
        _store = new SqliteWorkflowStore(_path, TimeProvider.System);
        await _store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _cloud.DisposeAsync();
        TestStorage.Delete(_path); // the changes' file is in the same folder
    }

    private IActivityHandler Handler()
    {
        var services = _cloud.Services;
        var cloud = new LambdaCloud(services.GetRequiredService<ILambdaClient>(), services.GetRequiredService<ICloudWatchClient>(), new CloudAccount(true), TimeProvider.System);
        return new DiagnoseIncidentHandler(services.GetRequiredService<ICloudWatchLogsClient>(), new DiagnosticMetrics(services.GetRequiredService<ICloudWatchClient>()),
            new RecentDeploys(_store, cloud), services.GetRequiredService<IOptions<SecureBaseOptions>>(), NullLogger<DiagnoseIncidentHandler>.Instance);
    }

    private static DiagnosticsReport Report(ActivityResult result) =>
        JsonSerializer.Deserialize<DiagnosticsReport>(result.DetailJson!, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    [Fact]
    public async Task A_failing_function_shows_its_redacted_error_lines_its_errors_with_a_chart_and_a_rollback_change_to_request()
    {
        _cloud.Sandbox.Account.Faults.FunctionErrors(Function, 0.5);
        var playbook = new PlaybookRef("lambda-errors", "Lambda function errors", [], "prod", Function: Function);

        // The page comes a few minutes after the function started failing: CloudWatch (and the diagnostics) show whole minutes.
        _time.Advance(TimeSpan.FromMinutes(3));

        var result = await Handler().RunAsync(new DiagnoseIncident("Q1", playbook, _time.GetUtcNow()), CancellationToken.None);

        var report = Report(result);
        Assert.Empty(report.Problems);
        Assert.True(report.ErrorLineCount > 0);
        Assert.InRange(report.ErrorLines.Count, 1, DiagnoseIncidentHandler.ShownLines);
        Assert.All(report.ErrorLines, l => Assert.DoesNotMatch(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+\.[A-Za-z]{2,}", l));
        var errors = Assert.Single(report.Metrics, m => m.Metric == "Errors");
        Assert.True(errors.Total > 0);
        Assert.NotNull(report.Chart);
        Assert.StartsWith("PROD → version ", report.LiveAlias);
        Assert.Null(report.Rollback);
        Assert.Equal($"rollback {Function} --env prod --category emergency --incident Q1 --reason \"incident Q1\"", report.RollbackCommand);
    }

    [Fact]
    public async Task Throttling_shows_the_tables_throttle_events()
    {
        _cloud.Sandbox.Account.Faults.TableThrottles("securebase-prod-activity-feed", 0.3);
        // Whole minutes of throttling on the sandbox's clock: the minute the fault began may hold none yet.
        _time.Advance(TimeSpan.FromMinutes(3));
        var playbook = new PlaybookRef("dynamodb-throttling", "DynamoDB throttling", [], "prod", Table: "securebase-prod-activity-feed");

        var report = Report(await Handler().RunAsync(new DiagnoseIncident("Q2", playbook, _time.GetUtcNow()), CancellationToken.None));

        Assert.Equal(["ReadThrottleEvents", "WriteThrottleEvents", "UserErrors"], report.Metrics.Select(m => m.Metric));
        Assert.True(report.Metrics.Sum(m => m.Total) > 0);
        Assert.Null(report.RollbackCommand);
    }

    [Fact]
    public async Task A_completed_deploy_still_in_its_rollback_window_and_still_live_is_offered_with_its_cards_version()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new SqliteWorkflowStore(_path + ".changes", time);
        await store.InitializeAsync(CancellationToken.None);
        var changes = new ChangeHost(store, time);
        await changes.RequestAsync(ChangeHost.DeployData());
        await changes.FireAsync(ChangeTrigger.Approve, ChangeHost.Ben);
        await changes.SettleAsync();
        await changes.WatchAsync(TimeSpan.FromMinutes(11));
        var deploy = await changes.LoadAsync();

        var (lines, live, offer) = await new RecentDeploys(store, changes.Cloud).ReadAsync(ChangeHost.Fn, time.GetUtcNow(), CancellationToken.None);
        changes.Cloud.MoveByHand(ChangeHost.Fn, "9");
        var (_, _, afterSomeoneMovedIt) = await new RecentDeploys(store, changes.Cloud).ReadAsync(ChangeHost.Fn, time.GetUtcNow(), CancellationToken.None);

        Assert.Equal((deploy.Id, deploy.CardVersion, "7", "8"), (offer!.ChangeId, offer.CardVersion, offer.FromVersion, offer.ToVersion));
        Assert.Equal("PROD → version 8", live);
        Assert.StartsWith($"{deploy.Id}: deploy PROD 7 → 8 by @ana, applied ", Assert.Single(lines));
        Assert.Null(afterSomeoneMovedIt);
    }
}
