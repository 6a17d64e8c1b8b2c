using System.Globalization;

namespace Bot.Sandbox.Account.S3;

/// <summary>
/// What each reports bucket holds when the account starts, from the seed and the clock.
/// <list type="bullet">
/// <item><b>prod</b>: versioning Enabled; lifecycle rule <c>expire-old-reports</c> (prefix <c>reports/</c>, current
/// versions expire after 90 days, noncurrent ones 30 days after, incomplete uploads after 7); reports of the last 88 days.</item>
/// <item><b>staging</b>: versioning Enabled; no lifecycle configuration (NoSuchLifecycleConfiguration); six months of reports.</item>
/// <item><b>dev</b>: versioning never enabled (every version id is "null"); lifecycle rule <c>expire-dev-reports</c> (30 days).</item>
/// </list>
/// Keys are <c>reports/&lt;yyyy&gt;/&lt;MM&gt;/&lt;customer&gt;-&lt;kind&gt;</c> (kinds <c>compliance-summary.pdf</c>,
/// <c>access-review.pdf</c>, <c>usage.csv</c>) on a day of that month, and the monthly roll-up
/// <c>reports/&lt;yyyy&gt;/&lt;MM&gt;/report.pdf</c> written on the 1st of the month after. About a fifth of the reports
/// were regenerated (2 or 3 versions) and a few deleted (a delete marker on top). In the versioned buckets the newest
/// roll-up has two versions and was deleted a day before the account starts: the ops guide's "restore a deleted
/// object" case.
/// </summary>
internal static class BucketSeed
{
    public static readonly string[] Customers = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka"];
    public static readonly string[] Kinds = ["compliance-summary.pdf", "access-review.pdf", "usage.csv"];

    public static ReportBucket Create(SandboxAccount account, string env)
    {
        var seed = account.Options.Seed;
        var now = account.Created;
        var name = ReportBuckets.BucketName(env, account.Options.AccountId);
        var (versioning, lifecycle, keepDays, customers) = env switch
        {
            "prod" => ("Enabled", new List<LifecycleRule> { new("expire-old-reports", "reports/", true, 90, 30, 7) }, 88, 8),
            "staging" => ("Enabled", (List<LifecycleRule>?)null, 183, 4),
            _ => ((string?)null, new List<LifecycleRule> { new("expire-dev-reports", "reports/", true, 30, null, 7) }, 29, 2),
        };
        var bucket = new ReportBucket(name, env,
            SandboxGenerator.Truncate(now.AddDays(-(env == "prod" ? 430 : 390))), versioning, lifecycle, seed, account.Faults.VersioningOverride);
        var versioned = versioning is not null;
        var oldest = now.AddDays(-keepDays);
        var month = new DateTimeOffset(oldest.Year, oldest.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var newestRollUp = (string?)null;
        for (; month < now; month = month.AddMonths(1))
        {
            var folder = string.Create(CultureInfo.InvariantCulture, $"reports/{month:yyyy}/{month:MM}/");
            foreach (var customer in Customers.Take(customers))
                foreach (var kind in Kinds)
                {
                    var key = folder + customer + "-" + kind;
                    var at = month.AddDays(Unit(seed, name, key, "day") * 27).AddHours(1 + Unit(seed, name, key, "hour") * 20);
                    if (at < oldest || at > now.AddHours(-1)) continue;
                    var copies = Unit(seed, name, key, "versions") switch { < 0.05 => 3, < 0.2 => 2, _ => 1 };
                    AddVersions(bucket, key, at, copies, seed, versioned, now,
                        deleted: versioned && Unit(seed, name, key, "deleted") < 0.06);
                }
            var rollUp = folder + "report.pdf";
            var rolledAt = month.AddMonths(1).AddHours(2);
            if (rolledAt < oldest || rolledAt > now.AddHours(-1)) continue;
            AddVersions(bucket, rollUp, rolledAt, 1, seed, versioned, now, deleted: false);
            newestRollUp = rollUp;
        }
        if (versioned && newestRollUp is not null) RegenerateAndDelete(bucket, newestRollUp, seed, now);
        return bucket;
    }

    private static void AddVersions(ReportBucket bucket, string key, DateTimeOffset at, int copies, int seed, bool versioned, DateTimeOffset now, bool deleted)
    {
        for (var v = 0; v < copies; v++)
        {
            var when = at.AddHours(v * (6 + 20 * Unit(seed, bucket.Name, key, "regenerated-" + v)));
            if (when > now.AddMinutes(-30)) break;
            var size = (long)(key.EndsWith(".csv", StringComparison.Ordinal) ? 4_000 + Unit(seed, bucket.Name, key, "size") * 40_000 : 60_000 + Unit(seed, bucket.Name, key, "size") * 240_000);
            bucket.Add(ObjectVersion.Generated(key, versioned ? bucket.NewVersionId() : "null", when, size, seed), replaceNull: !versioned);
            at = when;
        }
        if (!deleted) return;
        var gone = at.AddHours(12 + 48 * Unit(seed, bucket.Name, key, "deleted-at"));
        if (gone < now.AddMinutes(-10)) bucket.Add(ObjectVersion.DeleteMarker(key, bucket.NewVersionId(), gone), replaceNull: false);
    }

    /// <summary>The newest roll-up: regenerated the next morning, then deleted a day before the account starts.</summary>
    private static void RegenerateAndDelete(ReportBucket bucket, string key, int seed, DateTimeOffset now)
    {
        var first = bucket.Latest(key)!;
        var again = first.LastModified.AddHours(7);
        if (again < now.AddHours(-2))
            bucket.Add(ObjectVersion.Generated(key, bucket.NewVersionId(), again, first.Size + 2_048, seed), replaceNull: false);
        var last = bucket.Latest(key)!.LastModified;
        var deleted = now.AddDays(-1) > last ? now.AddDays(-1) : last.AddMinutes((now - last).TotalMinutes / 2);
        bucket.Add(ObjectVersion.DeleteMarker(key, bucket.NewVersionId(), deleted), replaceNull: false);
    }

    private static double Unit(int seed, string bucket, string key, string purpose) => Deterministic.Unit(seed, bucket + ":" + key + ":" + purpose, 0);
}
