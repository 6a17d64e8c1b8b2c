using Amazon.S3;
using Amazon.S3.Model;

namespace Bot.Integrations.Aws.S3;

/// <summary><see cref="IReportBuckets"/> with AWSSDK.S3; failures become <see cref="AwsServiceException"/>.</summary>
public sealed class ReportBuckets(S3ClientProvider clients) : IReportBuckets
{
    private static readonly AwsService S3 = AwsService.S3;

    public Task<BucketVersioning> GetBucketVersioningAsync(string bucket, CancellationToken cancellationToken) =>
        SdkCall.RunAsync(S3, "GetBucketVersioning", "s3:GetBucketVersioning", async () =>
        {
            var s3 = await clients.GetAsync(cancellationToken);
            var answer = await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, cancellationToken);
            var status = answer.VersioningConfig?.Status?.Value;
            return new BucketVersioning(bucket, string.IsNullOrEmpty(status) || status == "Off" ? "Off" : status);
        }, cancellationToken);

    public Task<IReadOnlyList<LifecycleRule>> GetLifecycleConfigurationAsync(string bucket, CancellationToken cancellationToken) =>
        SdkCall.RunAsync<IReadOnlyList<LifecycleRule>>(S3, "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration", async () =>
        {
            var s3 = await clients.GetAsync(cancellationToken);
            try
            {
                var answer = await s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket }, cancellationToken);
                return (answer.Configuration?.Rules ?? []).Select(ToRule).ToList();
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchLifecycleConfiguration")
            {
                return [];
            }
        }, cancellationToken);

    public Task<ObjectVersionPage> ListBucketVersionsAsync(string bucket, string prefix, int max, CancellationToken cancellationToken) =>
        SdkCall.RunAsync(S3, "ListObjectVersions", "s3:ListBucketVersions", async () =>
        {
            var s3 = await clients.GetAsync(cancellationToken);
            var versions = new List<ObjectVersion>();
            string? keyMarker = null, versionMarker = null;
            var truncated = false;
            do
            {
                var page = await s3.ListVersionsAsync(new ListVersionsRequest
                {
                    BucketName = bucket,
                    Prefix = prefix,
                    KeyMarker = keyMarker,
                    VersionIdMarker = versionMarker,
                    MaxKeys = Math.Min(1000, max - versions.Count),
                }, cancellationToken);
                versions.AddRange((page.Versions ?? []).Select(v => new ObjectVersion(
                    v.Key, v.VersionId ?? "null", v.IsLatest ?? false, v.IsDeleteMarker ?? false,
                    v.LastModified is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : DateTimeOffset.MinValue,
                    v.Size ?? 0, v.ETag)));
                truncated = page.IsTruncated ?? false;
                keyMarker = page.NextKeyMarker;
                versionMarker = page.NextVersionIdMarker;
            } while (truncated && versions.Count < max);
            return new ObjectVersionPage(versions, truncated);
        }, cancellationToken);

    public Task<string?> CopyObjectVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken) =>
        SdkCall.RunAsync<string?>(S3, "CopyObject", "s3:PutObject", async () =>
        {
            var s3 = await clients.GetAsync(cancellationToken);
            var copied = await s3.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = bucket,
                SourceKey = key,
                SourceVersionId = versionId,
                DestinationBucket = bucket,
                DestinationKey = key,
            }, cancellationToken);
            return copied.VersionId;
        }, cancellationToken);

    /// <summary>The rule's prefix: in its filter (a prefix, or the prefix of an And), or the older top-level element.</summary>
    private static string? PrefixOf(Amazon.S3.Model.LifecycleRule rule)
    {
#pragma warning disable CS0618 // S3 still sends the older top-level Prefix for rules written that way.
        var legacy = rule.Prefix;
#pragma warning restore CS0618
        return rule.Filter?.LifecycleFilterPredicate switch
        {
            LifecyclePrefixPredicate p => p.Prefix,
            LifecycleAndOperator and => and.Operands?.OfType<LifecyclePrefixPredicate>().FirstOrDefault()?.Prefix,
            _ => rule.Filter?.Prefix ?? legacy,
        };
    }

    private static LifecycleRule ToRule(Amazon.S3.Model.LifecycleRule rule) => new(
        rule.Id ?? "",
        rule.Status?.Value ?? "",
        PrefixOf(rule),
        rule.Expiration?.Days,
        rule.NoncurrentVersionExpiration?.NoncurrentDays,
        rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation);
}
