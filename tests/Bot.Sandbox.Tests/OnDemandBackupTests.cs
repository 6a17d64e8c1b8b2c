using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Bot.Sandbox.Tests;

/// <summary>On-demand backups through the AWS SDK: the seeded ones, create, describe, restore from and delete.</summary>
public sealed class OnDemandBackupTests : IAsyncLifetime
{
    private SandboxHttp _sandbox = null!;
    private AmazonDynamoDBClient _dynamo = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHttp.StartAsync(o =>
        {
            o.ClockSkewTolerance = null;
            o.Recovery.BackupCreationDuration = TimeSpan.FromSeconds(30);
        });
        _dynamo = SandboxClients.DynamoDb(_sandbox);
    }

    public async Task DisposeAsync()
    {
        _dynamo.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task Each_prod_table_has_three_monthly_backups_each_staging_table_one_and_dev_none()
    {
        var prod = await _dynamo.ListBackupsAsync(new ListBackupsRequest { TableName = "securebase-prod-activity-feed" });
        var staging = await _dynamo.ListBackupsAsync(new ListBackupsRequest { TableName = "securebase-staging-reports" });
        var dev = await _dynamo.ListBackupsAsync(new ListBackupsRequest { TableName = "securebase-dev-reports" });

        Assert.Equal(["securebase-prod-activity-feed-monthly-2026-01-01", "securebase-prod-activity-feed-monthly-2026-02-01", "securebase-prod-activity-feed-monthly-2026-03-01"],
            prod.BackupSummaries.Select(b => b.BackupName));
        Assert.All(prod.BackupSummaries, b =>
        {
            Assert.Equal(BackupStatus.AVAILABLE, b.BackupStatus);
            Assert.Equal(BackupType.USER, b.BackupType);
            Assert.Matches(@"^arn:aws:dynamodb:us-east-1:123456789012:table/securebase-prod-activity-feed/backup/\d{14}-[0-9a-f]{8}$", b.BackupArn);
            Assert.True(b.BackupSizeBytes > 1_000_000); // the feed's 45-day window of rows then (some 5,000), about 680 bytes each
        });
        Assert.Equal("securebase-staging-reports-before-schema-change", Assert.Single(staging.BackupSummaries).BackupName);
        Assert.True(dev.BackupSummaries is null || dev.BackupSummaries.Count == 0);
    }

    [Fact]
    public async Task ListBackups_pages_with_LastEvaluatedBackupArn()
    {
        var names = new List<string>();
        string? start = null;
        do
        {
            var page = await _dynamo.ListBackupsAsync(new ListBackupsRequest { Limit = 5, ExclusiveStartBackupArn = start });
            names.AddRange(page.BackupSummaries.Select(b => b.BackupName));
            start = page.LastEvaluatedBackupArn;
        } while (start is not null);

        Assert.Equal(16, names.Count);
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public async Task A_new_backup_is_CREATING_then_AVAILABLE_and_restores_the_table_as_it_was()
    {
        var created = await _dynamo.CreateBackupAsync(new CreateBackupRequest { TableName = "securebase-staging-user-sessions", BackupName = "before-cleanup" });
        var arn = created.BackupDetails.BackupArn;
        var refused = await Assert.ThrowsAsync<BackupInUseException>(() =>
            _dynamo.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = arn, TargetTableName = "securebase-staging-user-sessions-from-backup" }));
        _sandbox.Time.Advance(TimeSpan.FromSeconds(30));
        var described = await _dynamo.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = arn });
        var restored = await _dynamo.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = arn, TargetTableName = "securebase-staging-user-sessions-from-backup" });
        _sandbox.Time.Advance(TimeSpan.FromSeconds(30));
        var copy = (await _dynamo.DescribeTableAsync("securebase-staging-user-sessions-from-backup")).Table;

        Assert.Equal(BackupStatus.CREATING, created.BackupDetails.BackupStatus);
        Assert.Contains(arn, refused.Message);
        Assert.Equal(BackupStatus.AVAILABLE, described.BackupDescription.BackupDetails.BackupStatus);
        Assert.Equal("securebase-staging-user-sessions", described.BackupDescription.SourceTableDetails.TableName);
        Assert.Equal(35402, described.BackupDescription.SourceTableDetails.ItemCount);
        Assert.Equal(arn, restored.TableDescription.RestoreSummary.SourceBackupArn);
        Assert.Equal(TableStatus.ACTIVE, copy.TableStatus);
        Assert.Equal(35402, copy.ItemCount);
    }

    [Fact]
    public async Task Deleting_a_backup_answers_DELETED_then_it_is_not_found()
    {
        var arn = (await _dynamo.ListBackupsAsync(new ListBackupsRequest { TableName = "securebase-prod-reports" })).BackupSummaries[0].BackupArn;

        var deleted = await _dynamo.DeleteBackupAsync(new DeleteBackupRequest { BackupArn = arn });
        var gone = await Assert.ThrowsAsync<BackupNotFoundException>(() => _dynamo.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = arn }));

        Assert.Equal(BackupStatus.DELETED, deleted.BackupDescription.BackupDetails.BackupStatus);
        Assert.Contains(arn, gone.Message);
    }

    [Fact]
    public async Task Deleting_a_table_with_PITR_leaves_a_SYSTEM_backup()
    {
        await _dynamo.DeleteTableAsync("securebase-staging-reports");

        var system = await _dynamo.ListBackupsAsync(new ListBackupsRequest { TableName = "securebase-staging-reports", BackupType = BackupTypeFilter.SYSTEM });

        Assert.Equal(BackupType.SYSTEM, Assert.Single(system.BackupSummaries).BackupType);
    }

    [Fact]
    public async Task The_backup_answers_have_the_modeled_shapes()
    {
        var list = await _sandbox.DynamoAsync("ListBackups", new { TableName = "securebase-prod-user-sessions" });
        var arn = list.Body.GetProperty("BackupSummaries")[0].GetProperty("BackupArn").GetString();
        var described = await _sandbox.DynamoAsync("DescribeBackup", new { BackupArn = arn });
        var created = await _sandbox.DynamoAsync("CreateBackup", new { TableName = "securebase-prod-user-sessions", BackupName = "shape-check" });

        AwsShapes.AssertMatches("dynamodb-recovery", "ListBackupsOutput", list.Body);
        AwsShapes.AssertMatches("dynamodb-recovery", "DescribeBackupOutput", described.Body);
        AwsShapes.AssertMatches("dynamodb-recovery", "CreateBackupOutput", created.Body);
    }
}
