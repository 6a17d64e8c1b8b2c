using System.Globalization;

namespace Bot.Sandbox.Account.S3;

/// <summary>
/// The account's S3 buckets: one reports bucket per environment, <c>securebase-&lt;env&gt;-reports-&lt;account&gt;</c>,
/// seeded with a few months of customer reports (see <see cref="BucketSeed"/>); and the account's audit exports bucket,
/// <c>securebase-audit-exports</c> (versioned, empty at start), where the ops guide's <c>export-table-to-point-in-time</c> writes.
/// </summary>
public sealed class ReportBuckets
{
    private readonly Dictionary<string, ReportBucket> _buckets;

    internal ReportBuckets(SandboxAccount account)
    {
        _buckets = account.Environments
            .Select(env => BucketSeed.Create(account, env))
            .ToDictionary(b => b.Name, StringComparer.Ordinal);
        _buckets[AuditExports] = new ReportBucket(AuditExports, "", SandboxGenerator.Truncate(account.Created.AddDays(-400)), "Enabled", null,
            account.Options.Seed, account.Faults.VersioningOverride);
    }

    /// <summary>The bucket the ops guide exports the activity feed to.</summary>
    public const string AuditExports = "securebase-audit-exports";

    /// <summary>The bucket names, in order.</summary>
    public IReadOnlyList<string> Names => _buckets.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The reports bucket of an environment: <c>securebase-&lt;env&gt;-reports-&lt;account&gt;</c>.</summary>
    public static string BucketName(string environment, string accountId) =>
        string.Create(CultureInfo.InvariantCulture, $"securebase-{environment}-reports-{accountId}");

    internal ReportBucket? Bucket(string name) => _buckets.GetValueOrDefault(name);

    internal IEnumerable<ReportBucket> All => _buckets.Values.OrderBy(b => b.Name, StringComparer.Ordinal);
}
