using Bot.Commands.Cloud;
using Bot.Integrations.Aws.DynamoDb;
using Bot.Integrations.Aws.S3;
using Bot.Workflows.Messages;
using Bot.Workflows.Recovery;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Recovery;

/// <summary>
/// The ops guide's "Backup and Recovery" and "Cleaning Up Old Data" as a check: for every SecureBase table, point-in-time
/// recovery and its restorable window (DescribeContinuousBackups), on-demand backups (ListBackups) and TTL
/// (DescribeTimeToLive); for the reports bucket, versioning and the 90-day lifecycle rule. Anything off or missing is a
/// warning with the guide's reason. Each resource is read in parallel; one that fails shows as not known.
/// </summary>
public sealed class BackupsReporter(IDynamoDbRecovery dynamo, IReportBuckets buckets, IOptions<SecureBaseOptions> options, TimeProvider time)
{
    /// <summary>Tables on which TTL is expected (the guide: "DynamoDB TTL automatically removes expired items").</summary>
    public static readonly IReadOnlyList<string> TtlTables = ["user-sessions"];
    public const int ReportRetentionDays = 90;

    public async Task<BackupsReport> RunAsync(SecureBaseEnvironment env, CancellationToken cancellationToken)
    {
        var tables = env.Tables.Select(t => TableAsync(env, t, cancellationToken));
        var bucket = options.Value.ReportsBucketOf(env) is { } name
            ? BucketAsync(name, cancellationToken)
            : Task.FromResult(new BackupArea("(reports bucket)", "bucket", [new BackupFinding(BackupTone.Unknown, Line.Of("the reports bucket is not known: set ",
                Code($"SecureBase__Environments__{env.Name}__ReportsBucket"), " or ", Code("SecureBase__AccountId")))]));
        var areas = await Task.WhenAll(tables.Append(bucket));
        return new BackupsReport(env.Name, time.GetUtcNow(), areas);
    }

    private async Task<BackupArea> TableAsync(SecureBaseEnvironment env, string table, CancellationToken cancellationToken)
    {
        var findings = new List<BackupFinding>();
        findings.Add(await Try("point-in-time recovery", async () =>
        {
            var pitr = await dynamo.DescribeContinuousBackupsAsync(table, cancellationToken);
            if (!pitr.PitrEnabled)
                return new BackupFinding(BackupTone.Warning, Line.Of("point-in-time recovery is ", Strong("off"), ": the table cannot be restored to a point in time (the guide: \"All tables have point-in-time recovery enabled\")"));
            return new BackupFinding(BackupTone.Ok, Line.Of("point-in-time recovery on, restorable from ", Time(pitr.EarliestRestorable ?? time.GetUtcNow()), " to ", Time(pitr.LatestRestorable ?? time.GetUtcNow()),
                pitr.EarliestRestorable is { } from && pitr.LatestRestorable is { } to ? $" ({OperationPlan.Span(to - from)})" : ""));
        }));
        findings.Add(await Try("backups", async () =>
        {
            var backups = (await dynamo.ListBackupsAsync(table, cancellationToken)).Where(b => b.Type == "USER").ToList();
            if (backups.Count == 0) return new BackupFinding(BackupTone.Info, Line.Of("no on-demand backups"));
            var newest = backups[0];
            return new BackupFinding(BackupTone.Info, Line.Of($"{backups.Count} on-demand backup(s), newest ", Value(newest.Name, 80), " of ", Time(newest.CreatedAt), $" ({newest.Status})"));
        }));
        findings.Add(await Try("TTL", async () =>
        {
            var ttl = await dynamo.DescribeTimeToLiveAsync(table, cancellationToken);
            var expected = TtlTables.Any(s => table.Equals($"securebase-{env.Name}-{s}", StringComparison.OrdinalIgnoreCase));
            if (ttl.Enabled) return new BackupFinding(BackupTone.Ok, Line.Of("TTL on ", Code(ttl.AttributeName ?? "?")));
            return expected
                ? new BackupFinding(BackupTone.Warning, Line.Of("TTL is ", Strong("off"), ": expired sessions are never removed (the guide: \"DynamoDB TTL automatically removes expired items\"); ", Code("/sb cleanup sessions"), " does it by hand"))
                : new BackupFinding(BackupTone.Info, Line.Of("TTL off"));
        }));
        return new BackupArea(table, "table", findings);
    }

    private async Task<BackupArea> BucketAsync(string bucket, CancellationToken cancellationToken)
    {
        var findings = new List<BackupFinding>
        {
            await Try("versioning", async () =>
            {
                var versioning = await buckets.GetBucketVersioningAsync(bucket, cancellationToken);
                return versioning.Enabled
                    ? new BackupFinding(BackupTone.Ok, Line.Of("versioning Enabled"))
                    : new BackupFinding(BackupTone.Warning, Line.Of("versioning is ", Strong(versioning.Status == "Off" ? "not enabled" : versioning.Status),
                        ": a deleted or overwritten report cannot be restored (the guide: \"Reports bucket has versioning enabled\")"));
            }),
            await Try("lifecycle", async () =>
            {
                var rules = (await buckets.GetLifecycleConfigurationAsync(bucket, cancellationToken)).Where(r => r.Enabled && r.ExpirationDays is not null).ToList();
                var reports = rules.FirstOrDefault(r => string.IsNullOrEmpty(r.Prefix) || "reports/".StartsWith(r.Prefix, StringComparison.Ordinal) || r.Prefix.StartsWith("reports/", StringComparison.Ordinal));
                if (reports is null)
                    return new BackupFinding(BackupTone.Warning, Line.Of(Strong("no lifecycle rule"), " expires old reports: they are kept for ever (the guide: \"S3 lifecycle policy automatically removes old reports after 90 days\")"));
                var detail = Line.Of("rule ", Value(reports.Id, 60), ": ", Code(string.IsNullOrEmpty(reports.Prefix) ? "(whole bucket)" : reports.Prefix), $" expire after {reports.ExpirationDays} days",
                    reports.NoncurrentVersionExpirationDays is { } noncurrent ? $", older versions after {noncurrent}" : "");
                return reports.ExpirationDays == ReportRetentionDays
                    ? new BackupFinding(BackupTone.Ok, detail)
                    : new BackupFinding(BackupTone.Warning, Line.Of(detail, $" — not the guide's {ReportRetentionDays} days"));
            }),
        };
        return new BackupArea(bucket, "bucket", findings);
    }

    private static async Task<BackupFinding> Try(string what, Func<Task<BackupFinding>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (AwsFailures.ShortReason(e) is { } reason)
        {
            return new BackupFinding(BackupTone.Unknown, Line.Of(what, ": could not be read (", reason, ")"));
        }
    }
}
