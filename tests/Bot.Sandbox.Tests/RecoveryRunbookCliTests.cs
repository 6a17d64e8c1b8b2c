using System.Globalization;
using Bot.Sandbox.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Sandbox.Tests;

/// <summary>
/// A sandbox on a fake clock that starts at the real time (the CLI signs with the real clock; the skew check is off),
/// so a test can advance the sandbox past a restore or an update while Debian's <c>aws</c> talks to it.
/// </summary>
public sealed class RecoverySandboxWithCli : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    public SandboxServer Server { get; private set; } = null!;
    internal AwsCli Aws { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var cli = AwsCli.Locate();
        var options = new SandboxOptions { ClockSkewTolerance = null };
        Server = await SandboxServer.StartAsync(options, Time);
        Aws = new AwsCli(cli, Server.BaseAddress, options.AccessKeyId, options.SecretAccessKey, options.Region);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The ops guide's backup, recovery, clean-up and scaling commands with Debian's <c>aws</c> against the sandbox:
/// verbatim where the guide gives them (its <c>[account-id]</c> filled in), and refused where AWS would refuse them.
/// </summary>
[Collection(AwsCliCollection.Name)]
public sealed class RecoveryRunbookCliTests(RecoverySandboxWithCli sandbox) : IClassFixture<RecoverySandboxWithCli>
{
    private const string Bucket = "securebase-prod-reports-123456789012";
    private readonly AwsCli _aws = sandbox.Aws;

    private DateTimeOffset Now => sandbox.Time.GetUtcNow();
    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_guides_backup_checks_answer_from_the_sandbox()
    {
        var pitr = _aws.RunAsync("dynamodb", "describe-continuous-backups", "--table-name", "securebase-prod-user-sessions");
        var ttl = _aws.RunAsync("dynamodb", "describe-time-to-live", "--table-name", "securebase-prod-user-sessions");
        var backups = _aws.RunAsync("dynamodb", "list-backups", "--table-name", "securebase-prod-user-sessions");
        var lifecycle = _aws.RunAsync("s3api", "get-bucket-lifecycle-configuration", "--bucket", Bucket);
        var noLifecycle = _aws.RunAsync("s3api", "get-bucket-lifecycle-configuration", "--bucket", "securebase-staging-reports-123456789012");
        var versioning = _aws.RunAsync("s3api", "get-bucket-versioning", "--bucket", Bucket);
        var devVersioning = _aws.RunAsync("s3api", "get-bucket-versioning", "--bucket", "securebase-dev-reports-123456789012");
        await Task.WhenAll(pitr, ttl, backups, lifecycle, noLifecycle, versioning, devVersioning);

        var window = (await pitr).Json.GetProperty("ContinuousBackupsDescription").GetProperty("PointInTimeRecoveryDescription");
        Assert.Equal("ENABLED", window.GetProperty("PointInTimeRecoveryStatus").GetString());
        // awscli 2.9's DynamoDB model predates RecoveryPeriodInDays, so the CLI leaves it out.
        Assert.True(DateTimeOffset.Parse(window.GetProperty("LatestRestorableDateTime").GetString()!, CultureInfo.InvariantCulture) < Now.AddMinutes(-4));
        Assert.Equal("expires_at", (await ttl).Json.GetProperty("TimeToLiveDescription").GetProperty("AttributeName").GetString());
        Assert.Equal(3, (await backups).Json.GetProperty("BackupSummaries").GetArrayLength());
        var rule = (await lifecycle).Json.GetProperty("Rules")[0];
        Assert.Equal(90, rule.GetProperty("Expiration").GetProperty("Days").GetInt32());
        Assert.NotEqual(0, (await noLifecycle).ExitCode);
        Assert.Contains("An error occurred (NoSuchLifecycleConfiguration) when calling the GetBucketLifecycleConfiguration operation", (await noLifecycle).StandardError);
        Assert.Equal("Enabled", (await versioning).Json.GetProperty("Status").GetString());
        Assert.Equal(0, (await devVersioning).ExitCode);
        Assert.DoesNotContain("Status", (await devVersioning).StandardOutput);
    }

    [Fact]
    public async Task A_restore_outside_the_window_is_refused_as_aws_does()
    {
        // Verbatim from the guide: its date is long past the 35-day window.
        var refused = await _aws.RunAsync("dynamodb", "restore-table-to-point-in-time",
            "--source-table-name", "securebase-prod-user-sessions",
            "--target-table-name", "securebase-prod-user-sessions-restored",
            "--restore-date-time", "2026-01-24T12:00:00");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("An error occurred (InvalidRestoreTimeException) when calling the RestoreTableToPointInTime operation", refused.StandardError);
    }

    [Fact]
    public async Task The_guides_restore_to_a_time_in_the_window_makes_a_table_that_is_ACTIVE_after_the_restore_duration()
    {
        var started = await _aws.RunAsync("dynamodb", "restore-table-to-point-in-time",
            "--source-table-name", "securebase-staging-user-sessions",
            "--target-table-name", "securebase-staging-user-sessions-restored",
            "--restore-date-time", Iso(Now.AddHours(-2)));
        var again = await _aws.RunAsync("dynamodb", "restore-table-to-point-in-time",
            "--source-table-name", "securebase-staging-user-sessions",
            "--target-table-name", "securebase-staging-user-sessions-restored",
            "--restore-date-time", Iso(Now.AddHours(-2)));
        sandbox.Time.Advance(TimeSpan.FromSeconds(25));
        var verified = await _aws.RunAsync("dynamodb", "describe-table", "--table-name", "securebase-staging-user-sessions-restored");

        Assert.Equal("CREATING", started.Json.GetProperty("TableDescription").GetProperty("TableStatus").GetString());
        Assert.Contains("An error occurred (TableAlreadyExistsException)", again.StandardError);
        var table = verified.Json.GetProperty("Table");
        Assert.Equal("ACTIVE", table.GetProperty("TableStatus").GetString());
        Assert.False(table.GetProperty("RestoreSummary").GetProperty("RestoreInProgress").GetBoolean());
        Assert.True(table.GetProperty("ItemCount").GetInt64() > 30_000);
    }

    [Fact]
    public async Task The_guides_S3_version_restore_brings_a_deleted_report_back()
    {
        var month = Now.AddDays(-Now.Day).AddHours(-3);
        var prefix = string.Create(CultureInfo.InvariantCulture, $"reports/{month:yyyy}/{month:MM}/");
        var guidePrefix = _aws.RunAsync("s3api", "list-object-versions", "--bucket", Bucket, "--prefix", "reports/2026/01/");
        var listed = _aws.RunAsync("s3api", "list-object-versions", "--bucket", Bucket, "--prefix", prefix, "--page-size", "7");
        await Task.WhenAll(guidePrefix, listed);
        var versions = (await listed).Json;
        var key = prefix + "report.pdf";
        var marker = versions.GetProperty("DeleteMarkers").EnumerateArray().Single(m => m.GetProperty("Key").GetString() == key);
        var last = versions.GetProperty("Versions").EnumerateArray().First(v => v.GetProperty("Key").GetString() == key);

        var copied = await _aws.RunAsync("s3api", "copy-object",
            "--bucket", Bucket,
            "--copy-source", $"{Bucket}/{key}?versionId={last.GetProperty("VersionId").GetString()}",
            "--key", key);
        var missing = await _aws.RunAsync("s3api", "copy-object",
            "--bucket", Bucket, "--copy-source", $"{Bucket}/{key}?versionId=NoSuchVersionIdInThisBucket00000", "--key", key);
        var head = await _aws.RunAsync("s3api", "head-object", "--bucket", Bucket, "--key", key);

        Assert.Equal(0, (await guidePrefix).ExitCode);
        Assert.True(marker.GetProperty("IsLatest").GetBoolean());
        Assert.Equal(last.GetProperty("ETag").GetString(), copied.Json.GetProperty("CopyObjectResult").GetProperty("ETag").GetString());
        Assert.Equal(last.GetProperty("VersionId").GetString(), copied.Json.GetProperty("CopySourceVersionId").GetString());
        Assert.Contains("An error occurred (NoSuchVersion) when calling the CopyObject operation", missing.StandardError);
        Assert.Equal(copied.Json.GetProperty("VersionId").GetString(), head.Json.GetProperty("VersionId").GetString());
    }

    [Fact]
    public async Task The_guides_switch_to_provisioned_needs_the_index_throughput_then_auto_scaling_registers()
    {
        // Verbatim from the guide: the table has a GSI, so DynamoDB refuses a switch that names only the table's throughput.
        var guide = await _aws.RunAsync("dynamodb", "update-table",
            "--table-name", "securebase-prod-user-sessions",
            "--billing-mode", "PROVISIONED",
            "--provisioned-throughput", "ReadCapacityUnits=100,WriteCapacityUnits=50");
        var switched = await _aws.RunAsync("dynamodb", "update-table",
            "--table-name", "securebase-prod-user-sessions",
            "--billing-mode", "PROVISIONED",
            "--provisioned-throughput", "ReadCapacityUnits=100,WriteCapacityUnits=50",
            "--global-secondary-index-updates", """[{"Update":{"IndexName":"user_id-index","ProvisionedThroughput":{"ReadCapacityUnits":100,"WriteCapacityUnits":50}}}]""");
        var target = await _aws.RunAsync("application-autoscaling", "register-scalable-target",
            "--service-namespace", "dynamodb",
            "--resource-id", "table/securebase-prod-user-sessions",
            "--scalable-dimension", "dynamodb:table:ReadCapacityUnits",
            "--min-capacity", "10",
            "--max-capacity", "1000");
        var policy = await _aws.RunAsync("application-autoscaling", "put-scaling-policy",
            "--service-namespace", "dynamodb",
            "--resource-id", "table/securebase-prod-user-sessions",
            "--scalable-dimension", "dynamodb:table:ReadCapacityUnits",
            "--policy-name", "scaling-policy",
            "--policy-type", "TargetTrackingScaling",
            "--target-tracking-scaling-policy-configuration", """

              {
                "TargetValue": 70.0,
                "PredefinedMetricSpecification": {
                  "PredefinedMetricType": "DynamoDBReadCapacityUtilization"
                }
              }
            """);
        var targets = await _aws.RunAsync("application-autoscaling", "describe-scalable-targets", "--service-namespace", "dynamodb");

        Assert.Contains("An error occurred (ValidationException) when calling the UpdateTable operation", guide.StandardError);
        Assert.Contains("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: user_id-index", guide.StandardError);
        Assert.Equal("PROVISIONED", switched.Json.GetProperty("TableDescription").GetProperty("BillingModeSummary").GetProperty("BillingMode").GetString());
        // awscli 2.9's model of RegisterScalableTarget has no output members yet (ScalableTargetARN came later): it prints nothing.
        Assert.Equal(0, target.ExitCode);
        Assert.Contains("policyName/scaling-policy", policy.Json.GetProperty("PolicyARN").GetString());
        Assert.Contains(targets.Json.GetProperty("ScalableTargets").EnumerateArray(),
            t => t.GetProperty("ResourceId").GetString() == "table/securebase-prod-user-sessions" && t.GetProperty("MaxCapacity").GetInt32() == 1000);
    }

    [Fact]
    public async Task The_procedures_restore_from_backup_and_a_session_count_run_through_the_CLI()
    {
        var backups = await _aws.RunAsync("dynamodb", "list-backups", "--table-name", "securebase-staging-user-invites");
        var arn = backups.Json.GetProperty("BackupSummaries")[0].GetProperty("BackupArn").GetString()!;
        var restored = await _aws.RunAsync("dynamodb", "restore-table-from-backup",
            "--target-table-name", "securebase-staging-user-invites-from-backup",
            "--backup-arn", arn);
        var count = await _aws.RunAsync("dynamodb", "scan", "--table-name", "securebase-dev-user-sessions", "--select", "COUNT",
            "--filter-expression", "created_at < :cutoff",
            "--expression-attribute-values", $$$"""{":cutoff":{"N":"{{{Now.AddDays(-30).ToUnixTimeSeconds()}}}"}}""");

        Assert.Equal(arn, restored.Json.GetProperty("TableDescription").GetProperty("RestoreSummary").GetProperty("SourceBackupArn").GetString());
        Assert.InRange(count.Json.GetProperty("Count").GetInt32(), 800, 1500);
    }
}
