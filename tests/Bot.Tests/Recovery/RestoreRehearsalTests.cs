using System.Globalization;
using Bot.Integrations.Aws.DynamoDb;
using Bot.Integrations.Aws.S3;
using Bot.Workflows.Changes;
using Bot.Workflows.Recovery;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Recovery;

/// <summary>
/// The ops guide's "Backup and Recovery" in the shell against the sandbox: a PITR restore into a new table, followed and
/// verified; an S3 version restore; and every refusal before a change exists.
/// </summary>
public sealed class RestoreRehearsalTests
{
    private static string Minute(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:00", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_table_restored_by_an_approved_change_is_a_new_verified_table_with_pitr_on_and_the_source_is_untouched()
    {
        await using var shell = await RecoveryShell.StartAsync();
        var at = DateTimeOffset.UtcNow.AddHours(-2);
        var dynamo = shell.Services.GetRequiredService<IDynamoDbRecovery>();
        var sourceBefore = await dynamo.DescribeTableDetailsAsync("securebase-prod-user-sessions", CancellationToken.None);

        await shell.RunAsync($"as alice\n/sb restore table user-sessions --to {Minute(at)} --reason \"sessions lost\"\nclick 1\nas bob\nclick 1\n");
        var job = await shell.WaitForAsync(RestoreJob.Type, "Completed", "Failed");

        var target = RecoveryJobs.RestoreTarget("securebase-prod-user-sessions", new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero));
        Assert.Contains("You requested this change, so someone else must approve it (two-person rule).", shell.Output);
        Assert.Equal("Completed", job?.State);
        var copy = await dynamo.DescribeTableDetailsAsync(target, CancellationToken.None);
        Assert.Equal(("ACTIVE", string.Join(", ", sourceBefore.KeySchema), string.Join(", ", sourceBefore.Indexes)),
            (copy.Status, string.Join(", ", copy.KeySchema), string.Join(", ", copy.Indexes)));
        Assert.True((await dynamo.DescribeContinuousBackupsAsync(target, CancellationToken.None)).PitrEnabled);
        var sourceAfter = await dynamo.DescribeTableDetailsAsync("securebase-prod-user-sessions", CancellationToken.None);
        Assert.Equal((sourceBefore.Status, sourceBefore.ItemCount, sourceBefore.CreatedAt), (sourceAfter.Status, sourceAfter.ItemCount, sourceAfter.CreatedAt));
        Assert.Contains($"`{target}` is ACTIVE and verified", shell.Output);
        Assert.Contains("point-in-time recovery turned on for the copy", shell.Output);
        Assert.Contains("the bot does not switch the application's table", shell.Output);
    }

    [Fact]
    public async Task A_restore_dynamodb_cannot_complete_fails_with_the_reason_and_leaves_the_source_alone()
    {
        await using var shell = await RecoveryShell.StartAsync();
        shell.Services.GetRequiredService<Bot.Sandbox.Account.SandboxAccount>().Faults.RestoreFails("securebase-staging-user-sessions", 1);

        await shell.RunAsync($"as alice\n/sb restore table user-sessions --env staging --to {Minute(DateTimeOffset.UtcNow.AddHours(-1))}\n");
        var job = await shell.WaitForAsync(RestoreJob.Type, "Completed", "Failed");

        Assert.Equal("Failed", job?.State);
        Assert.Contains("is gone: DynamoDB could not complete the restore", shell.Output);
        Assert.Contains("The source table `securebase-staging-user-sessions` was not touched.", shell.Output);
        var source = await shell.Services.GetRequiredService<IDynamoDbRecovery>().DescribeTableDetailsAsync("securebase-staging-user-sessions", CancellationToken.None);
        Assert.Equal("ACTIVE", source.Status);
    }

    [Fact]
    public async Task A_restore_outside_the_window_of_a_table_that_is_not_securebases_or_onto_an_existing_table_is_refused_before_any_change()
    {
        await using var shell = await RecoveryShell.StartAsync();
        var dynamo = shell.Services.GetRequiredService<IDynamoDbRecovery>();
        var window = await dynamo.DescribeContinuousBackupsAsync("securebase-prod-user-sessions", CancellationToken.None);

        await shell.RunAsync(string.Join('\n',
            "as alice",
            $"/sb restore table user-sessions --to {Minute(window.EarliestRestorable!.Value.AddDays(-1))}",
            $"/sb restore table user-sessions --to {Minute(DateTimeOffset.UtcNow.AddMinutes(2))}",
            $"/sb restore table legacy-user-sessions --to {Minute(DateTimeOffset.UtcNow.AddHours(-1))}",
            $"/sb restore table activity-feed --env dev --to {Minute(DateTimeOffset.UtcNow.AddHours(-1))}",
            "/sb restore table user-sessions --to yesterday",
            ""));

        Assert.Equal(2, CountOf(shell.Output, "is outside the restorable window of `securebase-prod-user-sessions`"));
        Assert.Contains("`legacy-user-sessions` is not one of SecureBase's tables in prod", shell.Output);
        Assert.Contains("Point-in-time recovery is off on `securebase-dev-activity-feed`", shell.Output);
        Assert.Contains("`yesterday` is not a time I can read", shell.Output);
        Assert.Empty(await shell.AggregatesAsync(Change.Type));
    }

    [Fact]
    public async Task A_deleted_report_is_restored_by_an_approved_change_to_its_earlier_version_and_every_version_stays()
    {
        await using var shell = await RecoveryShell.StartAsync();
        var buckets = shell.Services.GetRequiredService<IReportBuckets>();
        const string Bucket = "securebase-prod-reports-123456789012";
        var key = await DeletedReportAsync(buckets, Bucket);
        var before = (await buckets.ListBucketVersionsAsync(Bucket, key, 100, CancellationToken.None)).Versions;
        var version = before.First(v => !v.IsDeleteMarker);

        await shell.RunAsync($"as alice\n/sb versions {key}\n/sb restore object {key} --version {version.VersionId} --reason \"deleted by mistake\"\nas bob\nclick 1\n");
        var change = await shell.WaitForAsync(Change.Type, "Completed", "Failed");

        var after = (await buckets.ListBucketVersionsAsync(Bucket, key, 100, CancellationToken.None)).Versions;
        var current = Assert.Single(after, v => v.IsLatest);
        Assert.Equal("Completed", change?.State);
        Assert.Contains("deleted (its newest entry is a delete marker)", shell.Output);
        Assert.False(current.IsDeleteMarker);
        Assert.Equal((version.Size, version.ETag), (current.Size, current.ETag));
        Assert.Equal(before.Count + 1, after.Count);
        Assert.All(before, v => Assert.Contains(after, a => a.VersionId == v.VersionId));
    }

    [Fact]
    public async Task A_version_that_does_not_exist_a_delete_marker_and_a_bucket_that_is_not_securebases_are_refused_before_any_change()
    {
        await using var shell = await RecoveryShell.StartAsync();
        var buckets = shell.Services.GetRequiredService<IReportBuckets>();
        const string Bucket = "securebase-prod-reports-123456789012";
        var key = await DeletedReportAsync(buckets, Bucket);
        var marker = (await buckets.ListBucketVersionsAsync(Bucket, key, 100, CancellationToken.None)).Versions.First(v => v.IsDeleteMarker);

        await shell.RunAsync(string.Join('\n',
            "as alice",
            $"/sb restore object {key} --version 0000doesnotexist0000",
            $"/sb restore object {key} --version {marker.VersionId}",
            $"/sb restore object {key} --version {marker.VersionId} --bucket someone-elses-bucket",
            "/sb versions reports/ --bucket someone-elses-bucket",
            ""));

        Assert.Contains("has no version `0000doesnotexist0000`", shell.Output);
        Assert.Contains("is a delete marker, not a version with content", shell.Output);
        Assert.Equal(2, CountOf(shell.Output, "`someone-elses-bucket` is not a SecureBase reports bucket"));
        Assert.Empty(await shell.AggregatesAsync(Change.Type));
    }

    /// <summary>A report whose newest entry is a delete marker (the sandbox keeps one: the newest roll-up).</summary>
    private static async Task<string> DeletedReportAsync(IReportBuckets buckets, string bucket)
    {
        var all = (await buckets.ListBucketVersionsAsync(bucket, "reports/", 100_000, CancellationToken.None)).Versions;
        return all.Where(v => v.IsLatest && v.IsDeleteMarker && v.Key.EndsWith("/report.pdf", StringComparison.Ordinal)).Select(v => v.Key).First();
    }

    private static int CountOf(string text, string part) => text.Split(part).Length - 1;
}
