using Microsoft.AspNetCore.Http;

namespace Bot.Sandbox.Services;

/// <summary>
/// An S3 REST request taken apart: the bucket (from the path, or from the host for virtual-hosted style), the object
/// key, and which operation the method, key and sub-resource (<c>?versioning</c>, <c>?versions</c>, …) name.
/// </summary>
internal sealed record S3Request(string? Bucket, string? Key, string Operation, IQueryCollection Query)
{
    /// <summary>Sub-resources the sandbox does not serve: S3 answers them, the sandbox says NotImplemented.</summary>
    private static readonly string[] OtherSubresources =
    [
        "acl", "policy", "tagging", "cors", "encryption", "uploads", "uploadId", "website", "logging", "notification",
        "replication", "accelerate", "requestPayment", "object-lock", "ownershipControls", "publicAccessBlock",
        "intelligent-tiering", "analytics", "metrics", "inventory", "retention", "legal-hold", "attributes", "torrent",
        "restore", "select", "partNumber", "policyStatus", "delete",
    ];

    /// <summary>Whether the request is signed for S3 (the credential scope names <c>s3</c>).</summary>
    public static bool IsSignedForS3(HttpRequest request) =>
        request.Headers.Authorization.ToString().Contains("/s3/aws4_request", StringComparison.Ordinal);

    /// <summary>The bucket named by a virtual-hosted-style host (<c>&lt;bucket&gt;.localhost:4566</c>), if it is one of <paramref name="buckets"/>.</summary>
    public static string? VirtualHostBucket(HttpRequest request, IEnumerable<string> buckets)
    {
        var host = request.Host.Host;
        return buckets.FirstOrDefault(b => host.StartsWith(b + ".", StringComparison.Ordinal));
    }

    public static S3Request Parse(HttpRequest request, string? virtualHostBucket)
    {
        var path = request.Path.Value ?? "/";
        string? bucket, key;
        if (virtualHostBucket is not null)
        {
            bucket = virtualHostBucket;
            key = path.Length > 1 ? Uri.UnescapeDataString(path[1..]) : null;
        }
        else
        {
            var trimmed = path.TrimStart('/');
            var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
            bucket = trimmed.Length == 0 ? null : Uri.UnescapeDataString(slash < 0 ? trimmed : trimmed[..slash]);
            key = slash < 0 || slash == trimmed.Length - 1 ? null : Uri.UnescapeDataString(trimmed[(slash + 1)..]);
        }
        return new S3Request(bucket, key, OperationOf(request.Method, bucket, key, request), request.Query);
    }

    private static string OperationOf(string method, string? bucket, string? key, HttpRequest request)
    {
        var q = request.Query;
        if (OtherSubresources.FirstOrDefault(q.ContainsKey) is { } other) return "Unsupported:" + other;
        if (bucket is null) return method == "GET" ? "ListBuckets" : "Unsupported:" + method;
        if (key is null)
        {
            return (method, Sub(q)) switch
            {
                ("HEAD", null) => "HeadBucket",
                ("GET", "versioning") => "GetBucketVersioning",
                ("PUT", "versioning") => "PutBucketVersioning",
                ("GET", "lifecycle") => "GetBucketLifecycleConfiguration",
                ("PUT", "lifecycle") => "PutBucketLifecycleConfiguration",
                ("DELETE", "lifecycle") => "DeleteBucketLifecycle",
                ("GET", "location") => "GetBucketLocation",
                ("GET", "versions") => "ListObjectVersions",
                ("GET", "list-type") => "ListObjectsV2",
                ("GET", null) => "ListObjects",
                _ => "Unsupported:" + method,
            };
        }
        return method switch
        {
            "GET" => "GetObject",
            "HEAD" => "HeadObject",
            "PUT" when request.Headers.ContainsKey("x-amz-copy-source") => "CopyObject",
            "PUT" => "PutObject",
            "DELETE" => "DeleteObject",
            _ => "Unsupported:" + method,
        };
    }

    private static string? Sub(IQueryCollection q) =>
        new[] { "versioning", "lifecycle", "location", "versions", "list-type" }.FirstOrDefault(q.ContainsKey);

    public string? Param(string name) => Query.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;
}
