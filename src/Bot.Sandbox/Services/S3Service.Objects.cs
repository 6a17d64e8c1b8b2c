using System.Security.Cryptography;
using Bot.Sandbox.Account.S3;
using Microsoft.AspNetCore.Http;

namespace Bot.Sandbox.Services;

/// <summary>Object operations, with S3's versioning behaviour.</summary>
internal sealed partial class S3Service
{
    private S3Response GetObject(ReportBucket bucket, S3Request s3, bool withBody)
    {
        var key = s3.Key!;
        var version = Resolve(bucket, key, s3.Param("versionId"), s3.Operation == "GetObject" ? "GET" : "HEAD");
        var headers = VersionHeaders(bucket, version);
        headers["ETag"] = Quote(version.ETag);
        headers["Last-Modified"] = S3Xml.HttpDate(version.LastModified);
        headers["Accept-Ranges"] = "bytes";
        headers["x-amz-server-side-encryption"] = "AES256";
        headers["Content-Length"] = version.Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new S3Response(200, headers, Bytes: withBody ? version.Content : null, ContentType: version.ContentType);
    }

    /// <summary>The version a GET, HEAD or copy names: a version id, or the latest; S3's errors for missing ones and delete markers.</summary>
    private static ObjectVersion Resolve(ReportBucket bucket, string key, string? versionId, string method)
    {
        if (versionId is not null)
        {
            var version = bucket.Version(key, versionId) ?? throw S3Error.NoSuchVersion(key, versionId);
            if (version.IsDeleteMarker)
            {
                var error = method == "COPY"
                    ? new S3Error("InvalidRequest", "The source of a copy request may not specifically refer to a delete marker by version id.", 400)
                    : new S3Error("MethodNotAllowed", "The specified method is not allowed against this resource.", 405, ("Method", method), ("ResourceType", "DeleteMarker"));
                error.Headers["x-amz-delete-marker"] = "true";
                error.Headers["x-amz-version-id"] = versionId;
                error.Headers["Last-Modified"] = S3Xml.HttpDate(version.LastModified);
                throw error;
            }
            return version;
        }
        var latest = bucket.Latest(key) ?? throw S3Error.NoSuchKey(key);
        if (!latest.IsDeleteMarker) return latest;
        var gone = S3Error.NoSuchKey(key);
        gone.Headers["x-amz-delete-marker"] = "true";
        gone.Headers["x-amz-version-id"] = latest.VersionId;
        throw gone;
    }

    private S3Response PutObject(ReportBucket bucket, S3Request s3, HttpRequest request, S3Payload payload)
    {
        if (request.Headers["Content-MD5"].ToString() is { Length: > 0 } md5)
        {
#pragma warning disable CA5351 // S3 checks Content-MD5 with MD5 by definition.
            if (md5 != Convert.ToBase64String(MD5.HashData(payload.Body)))
#pragma warning restore CA5351
                throw new S3Error("BadDigest", "The Content-MD5 you specified did not match what we received.", 400);
        }
        if (request.Headers.IfNoneMatch.ToString() == "*" && bucket.Latest(s3.Key!) is { IsDeleteMarker: false })
            throw new S3Error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412, ("Condition", "If-None-Match"));
        var contentType = request.ContentType is { Length: > 0 } type ? type : "binary/octet-stream";
        var now = account.Time.GetUtcNow();
        var version = bucket.Put(id => ObjectVersion.Uploaded(s3.Key!, id, now, payload.Body, contentType));
        var headers = bucket.Versioning == "Enabled" ? VersionHeaders(bucket, version) : [];
        headers["ETag"] = Quote(version.ETag);
        headers["x-amz-server-side-encryption"] = "AES256";
        foreach (var (name, value) in payload.Trailers.Concat(request.Headers.Where(h => h.Key.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase)).Select(h => KeyValuePair.Create(h.Key, h.Value.ToString()))))
            if (name.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase) && name != "x-amz-checksum-algorithm") headers[name] = value;
        return new S3Response(200, headers);
    }

    /// <summary>CopyObject from <c>x-amz-copy-source: bucket/key[?versionId=…]</c>: restoring an old version makes it the new latest.</summary>
    private S3Response CopyObject(ReportBucket bucket, S3Request s3, HttpRequest request)
    {
        var source = request.Headers["x-amz-copy-source"].ToString();
        var versionAt = source.IndexOf("?versionId=", StringComparison.Ordinal);
        var versionId = versionAt < 0 ? null : Uri.UnescapeDataString(source[(versionAt + 11)..]);
        var path = Uri.UnescapeDataString(versionAt < 0 ? source : source[..versionAt]).TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == path.Length - 1)
            throw new S3Error("InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey", 400, ("ArgumentName", "x-amz-copy-source"), ("ArgumentValue", source));
        var (sourceBucketName, sourceKey) = (path[..slash], path[(slash + 1)..]);
        var sourceBucket = account.S3.Bucket(sourceBucketName) ?? throw S3Error.NoSuchBucket(sourceBucketName);
        var original = Resolve(sourceBucket, sourceKey, versionId, "COPY");

        var replace = request.Headers["x-amz-metadata-directive"].ToString() == "REPLACE";
        if (sourceBucket == bucket && sourceKey == s3.Key && !replace && bucket.Latest(s3.Key!) == original)
            throw new S3Error("InvalidRequest", "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.", 400);
        var contentType = replace && request.ContentType is { Length: > 0 } type ? type : original.ContentType;
        var now = account.Time.GetUtcNow();
        var copy = bucket.Put(id => ObjectVersion.Uploaded(s3.Key!, id, now, original.Content, contentType));
        var headers = bucket.Versioning == "Enabled" ? VersionHeaders(bucket, copy) : [];
        if (sourceBucket.Versioning is not null || original.VersionId != "null") headers["x-amz-copy-source-version-id"] = original.VersionId;
        headers["x-amz-server-side-encryption"] = "AES256";
        return new S3Response(200, headers, S3Xml.E("CopyObjectResult", S3Xml.E("ETag", Quote(copy.ETag)), S3Xml.E("LastModified", S3Xml.Timestamp(copy.LastModified))));
    }

    private S3Response DeleteObject(ReportBucket bucket, S3Request s3)
    {
        var versionId = s3.Param("versionId");
        var result = bucket.Delete(s3.Key!, versionId, account.Time.GetUtcNow());
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (result is not null && (bucket.Versioning is not null || versionId is not null))
        {
            headers["x-amz-version-id"] = result.VersionId;
            if (result.IsDeleteMarker) headers["x-amz-delete-marker"] = "true";
        }
        return new S3Response(204, headers);
    }
}
