using System.Globalization;

namespace Bot.Sandbox.Account.S3;

/// <summary>
/// The account's S3 buckets: one reports bucket per environment, <c>securebase-&lt;env&gt;-reports-&lt;account&gt;</c>,
/// seeded with a few months of customer reports (see <see cref="BucketSeed"/>).
/// </summary>
public sealed class ReportBuckets
{
    private readonly Dictionary<string, ReportBucket> _buckets;

    internal ReportBuckets(SandboxAccount account)
    {
        _buckets = account.Environments
            .Select(env => BucketSeed.Create(account, env))
            .ToDictionary(b => b.Name, StringComparer.Ordinal);
    }

    /// <summary>The bucket names, in order.</summary>
    public IReadOnlyList<string> Names => _buckets.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The reports bucket of an environment: <c>securebase-&lt;env&gt;-reports-&lt;account&gt;</c>.</summary>
    public static string BucketName(string environment, string accountId) =>
        string.Create(CultureInfo.InvariantCulture, $"securebase-{environment}-reports-{accountId}");

    internal ReportBucket? Bucket(string name) => _buckets.GetValueOrDefault(name);

    internal IEnumerable<ReportBucket> All => _buckets.Values.OrderBy(b => b.Name, StringComparer.Ordinal);
}
