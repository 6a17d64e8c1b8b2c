using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace Bot.Sandbox.Tests;

/// <summary>The reports buckets through AWSSDK.S3 (path style): versioning, lifecycle, versions and restoring one.</summary>
public sealed class ReportsBucketTests : IAsyncLifetime
{
    private const string Prod = "securebase-prod-reports-123456789012";
    private const string Staging = "securebase-staging-reports-123456789012";
    private const string Dev = "securebase-dev-reports-123456789012";
    private SandboxHttp _sandbox = null!;
    private AmazonS3Client _s3 = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHttp.StartAsync(o => o.ClockSkewTolerance = null);
        _s3 = SandboxClients.S3(_sandbox);
    }

    public async Task DisposeAsync()
    {
        _s3.Dispose();
        await _sandbox.DisposeAsync();
    }

    /// <summary>The newest monthly roll-up, deleted a day before the account starts: reports/2026/02/report.pdf at the test clock.</summary>
    private const string RollUp = "reports/2026/02/report.pdf";

    private async Task<List<S3ObjectVersion>> AllVersions(string bucket, string prefix, int pageSize = 1000)
    {
        var all = new List<S3ObjectVersion>();
        string? key = null, version = null;
        while (true)
        {
            var page = await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Prefix = prefix, KeyMarker = key, VersionIdMarker = version, MaxKeys = pageSize });
            all.AddRange(page.Versions ?? []);
            if (page.IsTruncated != true) return all;
            (key, version) = (page.NextKeyMarker, page.NextVersionIdMarker);
        }
    }

    [Fact]
    public async Task There_is_one_reports_bucket_per_environment_and_the_audit_exports_bucket()
    {
        var buckets = await _s3.ListBucketsAsync();

        Assert.Equal(["securebase-audit-exports", Dev, Prod, Staging], buckets.Buckets.Select(b => b.BucketName));
    }

    [Fact]
    public async Task Prod_and_staging_are_versioned_and_dev_never_was()
    {
        var prod = await _s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Prod });
        var dev = await _s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Dev });

        Assert.Equal(VersionStatus.Enabled, prod.VersioningConfig.Status);
        Assert.Equal(VersionStatus.Off, dev.VersioningConfig.Status);
    }

    [Fact]
    public async Task Prod_expires_reports_after_90_days_and_staging_has_no_lifecycle()
    {
        var prod = await _s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = Prod });
        // AWSSDK.S3 turns NoSuchLifecycleConfiguration into an empty configuration (the raw answer is checked below).
        var staging = await _s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = Staging });

        var rule = Assert.Single(prod.Configuration.Rules);
        Assert.Equal("expire-old-reports", rule.Id);
        Assert.Equal("reports/", ((LifecyclePrefixPredicate)rule.Filter.LifecycleFilterPredicate).Prefix);
        Assert.Equal(90, rule.Expiration.Days);
        Assert.Equal(30, rule.NoncurrentVersionExpiration.NoncurrentDays);
        Assert.Equal(LifecycleRuleStatus.Enabled, rule.Status);
        Assert.True(staging.Configuration?.Rules is null or { Count: 0 });
    }

    [Fact]
    public async Task A_bucket_without_lifecycle_answers_NoSuchLifecycleConfiguration_in_S3_s_XML()
    {
        var answer = await _sandbox.S3Async(HttpMethod.Get, $"/{Staging}?lifecycle");
        var root = answer.Xml.Root!;

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("application/xml", answer.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Error", root.Name.LocalName);
        Assert.Equal("NoSuchLifecycleConfiguration", root.Element("Code")?.Value);
        Assert.Equal("The lifecycle configuration does not exist", root.Element("Message")?.Value);
        Assert.Equal(Staging, root.Element("BucketName")?.Value);
    }

    [Fact]
    public async Task An_unsigned_request_is_AccessDenied()
    {
        using var http = new HttpClient();
        var unsigned = await http.GetAsync(new Uri(_sandbox.Server.BaseAddress, $"{Prod}?versioning"));

        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Contains("<Code>AccessDenied</Code>", await unsigned.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ListObjectVersions_pages_through_versions_and_delete_markers_newest_first()
    {
        var everything = await AllVersions(Prod, "reports/");
        var paged = await AllVersions(Prod, "reports/", pageSize: 7);

        Assert.Equal(everything.Select(v => (v.Key, v.VersionId)), paged.Select(v => (v.Key, v.VersionId)));
        Assert.True(everything.Count > 60, $"{everything.Count} versions");
        Assert.Contains(everything, v => v.IsDeleteMarker == true);
        Assert.All(everything, v => Assert.Matches("^[A-Za-z0-9._]{32}$", v.VersionId));
        foreach (var key in everything.GroupBy(v => v.Key))
        {
            Assert.Equal(key.OrderByDescending(v => v.LastModified), key);
            Assert.True(key.First().IsLatest);
            Assert.All(key.Skip(1), v => Assert.False(v.IsLatest));
        }
        Assert.All(everything, v => Assert.True(v.LastModified > _sandbox.Time.GetUtcNow().UtcDateTime.AddDays(-90)));
    }

    [Fact]
    public async Task The_newest_roll_up_was_deleted_and_its_last_version_restores_by_copy()
    {
        var versions = await AllVersions(Prod, RollUp);
        var marker = versions[0];
        var last = versions[1];
        var deleted = await Assert.ThrowsAsync<NoSuchKeyException>(() => _s3.GetObjectAsync(Prod, RollUp));

        var copied = await _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = Prod, SourceKey = RollUp, SourceVersionId = last.VersionId, DestinationBucket = Prod, DestinationKey = RollUp,
        });
        using var restored = await _s3.GetObjectAsync(Prod, RollUp);
        using var old = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = Prod, Key = RollUp, VersionId = last.VersionId });
        var after = await AllVersions(Prod, RollUp);

        Assert.Equal(3, versions.Count);
        Assert.True(marker.IsDeleteMarker);
        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
        Assert.Equal("NoSuchKey", deleted.ErrorCode);
        Assert.Equal(last.VersionId, copied.SourceVersionId);
        Assert.NotEqual(last.VersionId, copied.VersionId);
        Assert.Equal(copied.VersionId, restored.VersionId);
        Assert.Equal(last.ETag, restored.ETag);
        Assert.Equal(last.Size, restored.ContentLength);
        Assert.Equal(ReadAll(old), ReadAll(restored));
        Assert.Equal(4, after.Count);
        Assert.True(after[0].IsLatest == true && after[0].IsDeleteMarker != true);
    }

    [Fact]
    public async Task An_unknown_version_is_NoSuchVersion_and_a_delete_marker_cannot_be_copied()
    {
        var marker = (await AllVersions(Prod, RollUp))[0];

        var get = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(new GetObjectRequest { BucketName = Prod, Key = RollUp, VersionId = "NoSuchVersionIdInThisBucket00000" }));
        var copy = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = Prod, SourceKey = RollUp, SourceVersionId = "NoSuchVersionIdInThisBucket00000", DestinationBucket = Prod, DestinationKey = RollUp,
        }));
        var fromMarker = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = Prod, SourceKey = RollUp, SourceVersionId = marker.VersionId, DestinationBucket = Prod, DestinationKey = RollUp,
        }));

        Assert.Equal("NoSuchVersion", get.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("NoSuchVersion", copy.ErrorCode);
        Assert.Equal("InvalidRequest", fromMarker.ErrorCode);
    }

    [Fact]
    public async Task A_put_makes_a_new_version_and_a_delete_a_delete_marker()
    {
        const string key = "reports/manual/upload.csv";
        var first = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Prod, Key = key, ContentBody = "a,b\n1,2\n" });
        var second = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Prod, Key = key, ContentBody = "a,b\n3,4\n" });
        var deleted = await _s3.DeleteObjectAsync(Prod, key);
        var head = await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Prod, Key = key, VersionId = first.VersionId });
        var versions = await AllVersions(Prod, key);

        Assert.NotEqual(first.VersionId, second.VersionId);
        Assert.Equal("true", deleted.DeleteMarker);
        Assert.Equal(8, head.ContentLength);
        Assert.Equal([deleted.VersionId, second.VersionId, first.VersionId], versions.Select(v => v.VersionId));
    }

    [Fact]
    public async Task Without_versioning_a_delete_is_for_good()
    {
        const string key = "reports/manual/dev.csv";
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Dev, Key = key, ContentBody = "x" });
        await _s3.DeleteObjectAsync(Dev, key);
        var versions = await AllVersions(Dev, "reports/");

        Assert.Null(put.VersionId);
        Assert.DoesNotContain(versions, v => v.Key == key);
        Assert.All(versions, v => Assert.Equal("null", v.VersionId));
    }

    [Fact]
    public async Task The_versioning_fault_suspends_versioning_until_cleared()
    {
        var fault = _sandbox.Account.Faults.BucketVersioning(Prod);
        var suspended = await _s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Prod });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Prod, Key = "reports/manual/while-suspended.txt", ContentBody = "s" });
        _sandbox.Account.Faults.Clear(fault.Id);
        var enabled = await _s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Prod });
        var versions = await AllVersions(Prod, "reports/manual/while-suspended.txt");

        Assert.Equal(VersionStatus.Suspended, suspended.VersioningConfig.Status);
        Assert.Equal(VersionStatus.Enabled, enabled.VersioningConfig.Status);
        Assert.Equal("null", Assert.Single(versions).VersionId);
    }

    [Fact]
    public async Task An_unknown_bucket_is_NoSuchBucket_and_a_denied_key_AccessDenied()
    {
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = "securebase-prod-nope" }));
        using var denied = SandboxClients.S3(_sandbox, _sandbox.Account.Options.DeniedAccessKeyId);
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => denied.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Prod }));

        Assert.Equal("NoSuchBucket", missing.ErrorCode);
        Assert.Equal("AccessDenied", refused.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private static string ReadAll(GetObjectResponse response)
    {
        using var reader = new StreamReader(response.ResponseStream, Encoding.Latin1);
        return reader.ReadToEnd();
    }
}
