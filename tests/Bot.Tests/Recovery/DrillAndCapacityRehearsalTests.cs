using System.Text.Json;
using Bot.Integrations.Aws.DynamoDb;
using Bot.Workflows.Audit;
using Bot.Workflows.Changes;
using Bot.Workflows.Ports;
using Bot.Workflows.Recovery;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Recovery;

/// <summary>The procedures' quarterly DR test and the guide's switch to provisioned capacity, in the shell against the sandbox.</summary>
public sealed class DrillAndCapacityRehearsalTests
{
    [Fact]
    public async Task A_staging_drill_measures_rto_and_rpo_against_the_objectives_and_leaves_no_drill_table_behind()
    {
        await using var shell = await RecoveryShell.StartAsync();
        var tables = shell.Services.GetRequiredService<ITableRecovery>();

        await shell.RunAsync("as alice\n/sb drill user-sessions user-invites\n");
        var record = await shell.WaitForAsync(RestoreJob.Type, "Completed", "Failed");
        await shell.RunAsync("/sb drill history\n");

        var drill = (RestoreJob)RestoreJob.Definition.Restore(record!);
        Assert.Equal(RestoreJobState.Completed, drill.CurrentState);
        Assert.Equal(["securebase-staging-user-sessions", "securebase-staging-user-invites"], drill.Data.Steps.Select(s => s.Source));
        Assert.All(drill.Data.Steps, s =>
        {
            Assert.StartsWith("securebase-drill-staging-", s.Target, StringComparison.Ordinal);
            Assert.True(s.Rto > TimeSpan.Zero && s.Rto < s.Objective!.Rto, $"RTO {s.Rto} of {s.Source}");
            Assert.True(s.Rpo > TimeSpan.Zero && s.Rpo <= s.Objective!.Rpo, $"RPO {s.Rpo} of {s.Source}");
            Assert.NotNull(s.DeletedAt);
        });
        Assert.Equal(["critical", "standard"], drill.Data.Steps.Select(s => s.Objective!.Tier));
        foreach (var step in drill.Data.Steps)
        {
            Assert.Null(await tables.DescribeTableAsync(step.Target, CancellationToken.None));
            Assert.Equal("ACTIVE", (await tables.DescribeTableAsync(step.Source, CancellationToken.None))!.Status);
        }
        Assert.Contains("DR drill report (staging)*: 2 of 2 table(s) restored, verified and within their objectives.", shell.Output);
        Assert.Contains("2 of 2 table(s) within objectives", shell.Output);
        var audit = new List<AuditRecord>();
        await foreach (var r in shell.Services.GetRequiredService<IAuditStore>().ReadAuditChainAsync(CancellationToken.None)) audit.Add(r);
        var report = Assert.Single(audit, r => r.AggregateType == RestoreJob.Type && r.DetailsJson?.Contains("drillReport", StringComparison.Ordinal) == true);
        Assert.Equal(2, JsonDocument.Parse(JsonDocument.Parse(report.DetailsJson!).RootElement.GetProperty("drillReport").GetString()!).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task A_drill_of_a_table_without_pitr_is_refused_and_a_prod_drill_waits_for_a_second_person()
    {
        await using var shell = await RecoveryShell.StartAsync();

        await shell.RunAsync("as alice\n/sb drill --env dev\n/sb drill user-sessions --env prod --reason \"Q4 DR test\"\n");
        await shell.SettledAsync();

        Assert.Contains("Point-in-time recovery is off on `securebase-dev-activity-feed`, so it cannot be drilled", shell.Output);
        Assert.Empty(await shell.AggregatesAsync(RestoreJob.Type));
        var change = (Change)Change.Definition.Restore(Assert.Single(await shell.AggregatesAsync(Change.Type)));
        Assert.Equal((ChangeState.PendingApproval, ChangeKind.DrDrill), (change.CurrentState, change.Data.Spec.Kind));
        Assert.IsType<DrillPlan>(change.Data.Spec.Operation);
    }

    [Fact]
    public async Task A_switch_to_provisioned_with_auto_scaling_is_applied_once_approved_and_a_switch_within_a_day_of_the_last_is_refused()
    {
        await using var shell = await RecoveryShell.StartAsync();
        var capacity = shell.Services.GetRequiredService<ITableCapacity>();

        await shell.RunAsync("as alice\n/sb capacity user-sessions provisioned --read 100 --write 50 --autoscale 10-1000 --target 70 --reason \"sustained traffic\"\nas bob\nclick 1\n");
        var change = await shell.WaitForAsync(Change.Type, "Completed", "Failed");
        await shell.RunAsync("/sb capacity user-sessions on-demand\n/sb capacity reports --env staging provisioned --read 10 --write 5\n");

        var now = await capacity.GetCapacityAsync("securebase-prod-user-sessions", CancellationToken.None);
        Assert.Equal("Completed", change?.State);
        Assert.Equal(("PROVISIONED", 100L, 50L), (now.BillingMode, now.Read, now.Write));
        Assert.Equal((100L, 50L), now.Indexes["user_id-index"]);
        Assert.Equal(4, now.Autoscaling.Count);
        Assert.All(now.Autoscaling, a => Assert.Equal((10, 1000, (double?)70), (a.Min, a.Max, a.TargetUtilization)));
        Assert.Equal(
            ["table/securebase-prod-user-sessions dynamodb:table:ReadCapacityUnits", "table/securebase-prod-user-sessions dynamodb:table:WriteCapacityUnits",
             "table/securebase-prod-user-sessions/index/user_id-index dynamodb:index:ReadCapacityUnits", "table/securebase-prod-user-sessions/index/user_id-index dynamodb:index:WriteCapacityUnits"],
            now.Autoscaling.Select(a => $"{a.ResourceId} {a.Dimension}"));
        // Staging's reports table switched to on-demand three hours before the account started: AWS's limit, checked before any change.
        Assert.Contains("`securebase-staging-reports` switched to on-demand at", shell.Output);
        Assert.Single(await shell.AggregatesAsync(Change.Type), c => c.State == "PendingApproval");
    }
}
