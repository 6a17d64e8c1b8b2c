using Bot.Integrations.Aws.S3;
using Bot.Workflows.Ports;

namespace Bot.Integrations.Aws.Recovery;

/// <summary><see cref="IReportObjects"/> over the reports buckets (AWSSDK.S3).</summary>
public sealed class AwsReportObjects(IReportBuckets buckets) : IReportObjects
{
    /// <summary>More versions of one key than this are not listed (a report has a handful).</summary>
    public const int MaxVersions = 1000;

    public Task<IReadOnlyList<ObjectVersionFacts>> VersionsOfAsync(string bucket, string key, CancellationToken cancellationToken) => AwsPortErrors.TranslateAsync<IReadOnlyList<ObjectVersionFacts>>(async () =>
        (await buckets.ListBucketVersionsAsync(bucket, key, MaxVersions, cancellationToken)).Versions
            .Where(v => v.Key == key)
            .OrderByDescending(v => v.LastModified)
            .Select(v => new ObjectVersionFacts(v.Key, v.VersionId, v.IsLatest, v.IsDeleteMarker, v.LastModified, v.Size, v.ETag))
            .ToList());

    public Task<string?> RestoreVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken) =>
        AwsPortErrors.TranslateAsync(() => buckets.CopyObjectVersionAsync(bucket, key, versionId, cancellationToken));
}
