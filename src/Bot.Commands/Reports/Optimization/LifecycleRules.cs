using Bot.Commands.Cloud;
using Bot.Integrations.Aws.S3;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Reports.Optimization;

/// <summary>
/// The guide's "S3: verify lifecycle policies are working": each environment's reports bucket has an enabled rule that expires
/// objects (the guide removes old reports after 90 days), and it is effective: no current object under its prefix is older than
/// its expiration plus the two days S3 may take.
/// </summary>
public sealed class LifecycleRules(IReportBuckets buckets, IOptions<SecureBaseOptions> options) : IRecommender
{
    public const int Grace = 2;
    public const int Listed = 1000;

    public string Title => "S3: lifecycle policies present and working";

    public async Task<IReadOnlyList<Recommendation>> FindAsync(IReadOnlyList<SecureBaseEnvironment> environments, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = new List<Recommendation>();
        foreach (var env in environments)
        {
            if (options.Value.ReportsBucketOf(env) is not { } bucket) continue;
            var rules = (await AwsFailures.Guard(Line.Of("reading the lifecycle of ", Code(bucket)), () => buckets.GetLifecycleConfigurationAsync(bucket, cancellationToken)))
                .Where(r => r.Enabled && r.ExpirationDays is not null).ToList();
            if (rules.Count == 0)
            {
                found.Add(new Recommendation(bucket, Line.Of(Code(bucket), ": no lifecycle rule expires its reports, so they are kept (and paid for) for ever"),
                    Line.Of("Add a lifecycle rule to ", Code(bucket), " (the guide's: expire ", Code("reports/"), " after 90 days)")));
                continue;
            }
            foreach (var rule in rules)
            {
                var page = await AwsFailures.Guard(Line.Of("listing ", Code(bucket)), () => buckets.ListBucketVersionsAsync(bucket, rule.Prefix ?? "", Listed, cancellationToken));
                var stale = page.Versions.Where(v => v.IsLatest && !v.IsDeleteMarker && v.LastModified < now.AddDays(-(rule.ExpirationDays!.Value + Grace))).ToList();
                if (stale.Count == 0) continue;
                found.Add(new Recommendation(bucket,
                    Line.Of(Code(bucket), ": rule ", Code(rule.Id), $" expires after {rule.ExpirationDays} days, yet {stale.Count}{(page.Truncated ? "+" : "")} reports are older (the oldest {stale.Min(v => v.LastModified):yyyy-MM-dd})"),
                    Line.Of("Check why rule ", Code(rule.Id), " of ", Code(bucket), " is not expiring objects (its prefix and filters)")));
            }
        }
        return found;
    }
}
