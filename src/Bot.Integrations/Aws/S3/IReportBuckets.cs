namespace Bot.Integrations.Aws.S3;

/// <summary>A bucket's versioning: <c>Enabled</c>, <c>Suspended</c>, or <c>Off</c> (never enabled).</summary>
public sealed record BucketVersioning(string Bucket, string Status)
{
    public bool Enabled => Status == "Enabled";
}

/// <summary>One lifecycle rule, in the terms the ops guide checks (its prefix and when things expire).</summary>
public sealed record LifecycleRule(string Id, string Status, string? Prefix, int? ExpirationDays, int? NoncurrentVersionExpirationDays, int? AbortIncompleteUploadDays)
{
    public bool Enabled => Status == "Enabled";
}

/// <summary>One version of an object, or a delete marker, as <c>ListObjectVersions</c> lists it.</summary>
public sealed record ObjectVersion(string Key, string VersionId, bool IsLatest, bool IsDeleteMarker, DateTimeOffset LastModified, long Size, string? ETag);

/// <summary>A page of versions under a prefix, newest first per key; <see cref="Truncated"/> when more were left.</summary>
public sealed record ObjectVersionPage(IReadOnlyList<ObjectVersion> Versions, bool Truncated);

/// <summary>
/// The reports buckets through AWSSDK.S3: versioning, lifecycle, the versions of a key and restoring one (the ops guide's
/// "S3 Bucket Versioning" and "Cleaning Up Old Data"). Method names are the IAM actions they need.
/// </summary>
[AwsClient("s3")]
public interface IReportBuckets
{
    /// <summary>GetBucketVersioning.</summary>
    Task<BucketVersioning> GetBucketVersioningAsync(string bucket, CancellationToken cancellationToken);

    /// <summary>GetBucketLifecycleConfiguration: the rules, empty when the bucket has none (NoSuchLifecycleConfiguration).</summary>
    [IamAction("s3:GetLifecycleConfiguration")]
    Task<IReadOnlyList<LifecycleRule>> GetLifecycleConfigurationAsync(string bucket, CancellationToken cancellationToken);

    /// <summary>ListObjectVersions under <paramref name="prefix"/>: versions and delete markers, at most <paramref name="max"/>.</summary>
    [IamAction("s3:ListBucketVersions")]
    Task<ObjectVersionPage> ListBucketVersionsAsync(string bucket, string prefix, int max, CancellationToken cancellationToken);

    /// <summary>CopyObject of <paramref name="versionId"/> onto the same key (the guide's restore): the new current version's id.</summary>
    [ChangesAws]
    [IamAction("s3:PutObject")]
    [IamAction("s3:GetObjectVersion")]
    Task<string?> CopyObjectVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken);
}
