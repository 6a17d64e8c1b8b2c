using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Bot.Sandbox.Tests;

/// <summary>Point-in-time recovery through the AWS SDK: the seeded windows, restores into new tables, and AWS's refusals.</summary>
public sealed class PointInTimeRecoveryTests : IAsyncLifetime
{
    private const string Sessions = "securebase-prod-user-sessions";
    private SandboxHttp _sandbox = null!;
    private AmazonDynamoDBClient _dynamo = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHttp.StartAsync(o => o.ClockSkewTolerance = null);
        _dynamo = SandboxClients.DynamoDb(_sandbox);
    }

    public async Task DisposeAsync()
    {
        _dynamo.Dispose();
        await _sandbox.DisposeAsync();
    }

    private DateTime Now => _sandbox.Time.GetUtcNow().UtcDateTime;

    private async Task<PointInTimeRecoveryDescription> Pitr(string table) =>
        (await _dynamo.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = table }))
        .ContinuousBackupsDescription.PointInTimeRecoveryDescription;

    private Task<RestoreTableToPointInTimeResponse> Restore(string source, string target, DateTime at) =>
        _dynamo.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest { SourceTableName = source, TargetTableName = target, RestoreDateTime = at });

    private async Task<TableDescription> Describe(string table) => (await _dynamo.DescribeTableAsync(table)).Table;

    [Fact]
    public async Task Prod_tables_can_be_restored_to_any_second_of_the_last_35_days_up_to_five_minutes_ago()
    {
        foreach (var suffix in new[] { "user-sessions", "user-invites", "activity-feed", "reports" })
        {
            var pitr = await Pitr($"securebase-prod-{suffix}");

            Assert.Equal(PointInTimeRecoveryStatus.ENABLED, pitr.PointInTimeRecoveryStatus);
            Assert.Equal(35, pitr.RecoveryPeriodInDays);
            Assert.Equal(Now.AddDays(-35), pitr.EarliestRestorableDateTime!.Value, TimeSpan.FromSeconds(1));
            Assert.Equal(Now.AddMinutes(-5), pitr.LatestRestorableDateTime!.Value, TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task Dev_turned_PITR_on_nine_days_ago_and_never_on_its_activity_feed()
    {
        var sessions = await Pitr("securebase-dev-user-sessions");
        var feed = await Pitr("securebase-dev-activity-feed");
        var staging = await Pitr("securebase-staging-activity-feed");

        Assert.InRange(sessions.EarliestRestorableDateTime!.Value, Now.AddDays(-9).AddHours(-11), Now.AddDays(-9));
        Assert.Equal(PointInTimeRecoveryStatus.DISABLED, feed.PointInTimeRecoveryStatus);
        Assert.Null(feed.EarliestRestorableDateTime);
        Assert.Equal(PointInTimeRecoveryStatus.ENABLED, staging.PointInTimeRecoveryStatus);
    }

    [Fact]
    public async Task A_restore_is_CREATING_for_the_restore_duration_then_ACTIVE_with_the_sources_schema_and_its_count_at_that_time()
    {
        var at = Now.AddHours(-6);
        var started = await Restore(Sessions, Sessions + "-restored-202603100807", at);
        var creating = await Describe(Sessions + "-restored-202603100807");
        _sandbox.Time.Advance(TimeSpan.FromSeconds(21));
        var copy = await Describe(Sessions + "-restored-202603100807");
        var source = await Describe(Sessions);
        var copyPitr = await Pitr(Sessions + "-restored-202603100807");

        Assert.Equal(TableStatus.CREATING, started.TableDescription.TableStatus);
        Assert.True(started.TableDescription.RestoreSummary.RestoreInProgress);
        Assert.Equal(TableStatus.CREATING, creating.TableStatus);
        Assert.Equal(TableStatus.ACTIVE, copy.TableStatus);
        Assert.False(copy.RestoreSummary.RestoreInProgress);
        Assert.Equal(source.TableArn, copy.RestoreSummary.SourceTableArn);
        Assert.Equal(at, copy.RestoreSummary.RestoreDateTime!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(source.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)), copy.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)));
        Assert.Equal("user_id-index", Assert.Single(copy.GlobalSecondaryIndexes).IndexName);
        Assert.Equal(source.SSEDescription.KMSMasterKeyArn, copy.SSEDescription.KMSMasterKeyArn);
        Assert.Equal(source.BillingModeSummary.BillingMode, copy.BillingModeSummary.BillingMode);
        Assert.Equal(PointInTimeRecoveryStatus.DISABLED, copyPitr.PointInTimeRecoveryStatus);
        Assert.False(copy.DeletionProtectionEnabled);
        var expected = _sandbox.Account.DynamoDb.Find(Sessions)!.Items!.CountAt(new DateTimeOffset(at));
        Assert.Equal(expected, copy.ItemCount);
        Assert.True(expected < source.ItemCount, "sessions created in the last six hours are not in the copy");
    }

    [Fact]
    public async Task A_restore_outside_the_window_is_refused_as_aws_does()
    {
        var tooOld = await Assert.ThrowsAsync<InvalidRestoreTimeException>(() => Restore(Sessions, "securebase-prod-user-sessions-old", Now.AddDays(-36)));
        var tooRecent = await Assert.ThrowsAsync<InvalidRestoreTimeException>(() => Restore(Sessions, "securebase-prod-user-sessions-new", Now.AddMinutes(-1)));

        Assert.Contains("EarliestRestorableDateTime", tooOld.Message);
        Assert.Equal("InvalidRestoreTimeException", tooRecent.ErrorCode);
        Assert.Null(_sandbox.Account.DynamoDb.Find("securebase-prod-user-sessions-old"));
    }

    [Fact]
    public async Task A_restore_never_overwrites_an_existing_table()
    {
        var error = await Assert.ThrowsAsync<TableAlreadyExistsException>(() => Restore(Sessions, "securebase-prod-user-invites", Now.AddHours(-1)));

        Assert.Contains("securebase-prod-user-invites", error.Message);
        Assert.Null((await Describe("securebase-prod-user-invites")).RestoreSummary);
    }

    [Fact]
    public async Task A_restore_of_an_unknown_table_is_TableNotFoundException_and_of_a_table_without_PITR_PointInTimeRecoveryUnavailableException()
    {
        await Assert.ThrowsAsync<TableNotFoundException>(() => Restore("securebase-prod-nope", "securebase-prod-nope-restored", Now.AddHours(-1)));
        await Assert.ThrowsAsync<PointInTimeRecoveryUnavailableException>(() => Restore("securebase-dev-activity-feed", "securebase-dev-activity-feed-restored", Now.AddHours(-1)));
    }

    [Fact]
    public async Task UseLatestRestorableTime_restores_to_five_minutes_ago()
    {
        var restored = await _dynamo.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest
        {
            SourceTableName = "securebase-staging-reports", TargetTableName = "securebase-drill-staging-reports", UseLatestRestorableTime = true,
        });

        Assert.Equal(Now.AddMinutes(-5), restored.TableDescription.RestoreSummary.RestoreDateTime!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal(0, restored.TableDescription.ItemCount);
    }

    [Fact]
    public async Task A_failing_restore_leaves_no_table_and_the_source_untouched()
    {
        _sandbox.Account.Faults.RestoreFails(Sessions, times: 1);

        await Restore(Sessions, "securebase-prod-user-sessions-broken", Now.AddHours(-1));
        var during = await Describe("securebase-prod-user-sessions-broken");
        _sandbox.Time.Advance(TimeSpan.FromSeconds(25));
        var after = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Describe("securebase-prod-user-sessions-broken"));
        await Restore(Sessions, "securebase-prod-user-sessions-retry", Now.AddHours(-1));
        _sandbox.Time.Advance(TimeSpan.FromSeconds(25));

        Assert.Equal(TableStatus.CREATING, during.TableStatus);
        Assert.Contains("securebase-prod-user-sessions-broken", after.Message);
        Assert.Equal(TableStatus.ACTIVE, (await Describe("securebase-prod-user-sessions-retry")).TableStatus);
        Assert.Equal(TableStatus.ACTIVE, (await Describe(Sessions)).TableStatus);
    }

    [Fact]
    public async Task Bigger_tables_take_longer_to_restore()
    {
        // No table of the account is past a GiB (the activity feed holds a 45-day window of rows), so make each MB count:
        // the sessions (about 78 MB) then take some 44 s more than the invites (about 4 MB, 2 s more).
        _sandbox.Account.Options.Recovery.RestoreDurationPerGiB = TimeSpan.FromMinutes(10);
        await Restore(Sessions, "securebase-drill-prod-user-sessions", Now.AddHours(-1));
        await Restore("securebase-prod-user-invites", "securebase-drill-prod-user-invites", Now.AddHours(-1));
        _sandbox.Time.Advance(TimeSpan.FromSeconds(23));

        Assert.Equal(TableStatus.ACTIVE, (await Describe("securebase-drill-prod-user-invites")).TableStatus);
        Assert.Equal(TableStatus.CREATING, (await Describe("securebase-drill-prod-user-sessions")).TableStatus);
        _sandbox.Time.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(TableStatus.ACTIVE, (await Describe("securebase-drill-prod-user-sessions")).TableStatus);
    }

    [Fact]
    public async Task Turning_PITR_off_and_on_again_restarts_the_window_from_now()
    {
        await _dynamo.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = "securebase-staging-user-invites",
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = false },
        });
        var off = await Pitr("securebase-staging-user-invites");
        _sandbox.Time.Advance(TimeSpan.FromMinutes(1));
        var on = await _dynamo.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = "securebase-staging-user-invites",
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true, RecoveryPeriodInDays = 7 },
        });

        Assert.Equal(PointInTimeRecoveryStatus.DISABLED, off.PointInTimeRecoveryStatus);
        var window = on.ContinuousBackupsDescription.PointInTimeRecoveryDescription;
        Assert.Equal(7, window.RecoveryPeriodInDays);
        Assert.Equal(Now, window.EarliestRestorableDateTime!.Value, TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<InvalidRestoreTimeException>(() => Restore("securebase-staging-user-invites", "securebase-staging-user-invites-x", Now.AddHours(-1)));
    }

    [Fact]
    public async Task The_recovery_answers_have_the_modeled_shapes()
    {
        var pitr = await _sandbox.DynamoAsync("DescribeContinuousBackups", new { TableName = Sessions });
        var restore = await _sandbox.DynamoAsync("RestoreTableToPointInTime", new
        {
            SourceTableName = Sessions, TargetTableName = "securebase-prod-user-sessions-shape", RestoreDateTime = _sandbox.NowSeconds - 3600,
        });
        _sandbox.Time.Advance(TimeSpan.FromMinutes(1));
        var described = await _sandbox.DynamoAsync("DescribeTable", new { TableName = "securebase-prod-user-sessions-shape" });
        var listed = await _sandbox.DynamoAsync("ListTables", new { });

        AwsShapes.AssertMatches("dynamodb-recovery", "DescribeContinuousBackupsOutput", pitr.Body);
        AwsShapes.AssertMatches("dynamodb-recovery", "RestoreTableToPointInTimeOutput", restore.Body);
        AwsShapes.AssertMatches("dynamodb-recovery", "DescribeTableOutput", described.Body);
        Assert.Contains("securebase-prod-user-sessions-shape", listed.Body.GetProperty("TableNames").EnumerateArray().Select(n => n.GetString()));
    }
}
