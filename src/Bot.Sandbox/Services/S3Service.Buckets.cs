using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Bot.Sandbox.Account.S3;

namespace Bot.Sandbox.Services;

/// <summary>Bucket operations: versioning, lifecycle and listings.</summary>
internal sealed partial class S3Service
{
    private static S3Response GetVersioning(ReportBucket bucket) =>
        S3Response.Ok(S3Xml.E("VersioningConfiguration", bucket.Versioning is { } status ? S3Xml.E("Status", status) : null));

    private static S3Response PutVersioning(ReportBucket bucket, S3Payload payload)
    {
        var status = S3Xml.Child(Parse(payload), "Status");
        if (status is not ("Enabled" or "Suspended")) throw S3Error.Malformed();
        bucket.SetVersioning(status);
        return S3Response.Empty();
    }

    private static S3Response GetLifecycle(ReportBucket bucket)
    {
        var rules = bucket.Lifecycle ?? throw new S3Error("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", 404, ("BucketName", bucket.Name));
        return S3Response.Ok(S3Xml.E("LifecycleConfiguration", rules.Select(r => S3Xml.E("Rule",
            S3Xml.E("ID", r.Id),
            S3Xml.E("Filter", S3Xml.E("Prefix", r.Prefix)),
            S3Xml.E("Status", r.Enabled ? "Enabled" : "Disabled"),
            r.ExpirationDays is { } days ? S3Xml.E("Expiration", S3Xml.E("Days", days)) : null,
            r.NoncurrentDays is { } noncurrent ? S3Xml.E("NoncurrentVersionExpiration", S3Xml.E("NoncurrentDays", noncurrent)) : null,
            r.AbortIncompleteDays is { } abort ? S3Xml.E("AbortIncompleteMultipartUpload", S3Xml.E("DaysAfterInitiation", abort)) : null))));
    }

    private static S3Response PutLifecycle(ReportBucket bucket, S3Payload payload)
    {
        var rules = new List<LifecycleRule>();
        foreach (var rule in Parse(payload).Elements().Where(e => e.Name.LocalName == "Rule"))
        {
            int? Days(string parent, string child) =>
                rule.Elements().FirstOrDefault(e => e.Name.LocalName == parent) is { } p && S3Xml.Child(p, child) is { } text
                    ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d > 0 ? d : throw new S3Error("InvalidArgument", $"'{parent}.{child}' must be a positive integer", 400)
                    : null;
            var status = S3Xml.Child(rule, "Status");
            if (status is not ("Enabled" or "Disabled")) throw S3Error.Malformed();
            var filter = rule.Elements().FirstOrDefault(e => e.Name.LocalName == "Filter");
            var prefix = (filter is null ? null : S3Xml.Child(filter, "Prefix")) ?? S3Xml.Child(rule, "Prefix") ?? "";
            var id = S3Xml.Child(rule, "ID") ?? $"rule-{rules.Count + 1}";
            var parsed = new LifecycleRule(id, prefix, status == "Enabled", Days("Expiration", "Days"), Days("NoncurrentVersionExpiration", "NoncurrentDays"),
                Days("AbortIncompleteMultipartUpload", "DaysAfterInitiation"));
            if (parsed is { ExpirationDays: null, NoncurrentDays: null, AbortIncompleteDays: null })
                throw new S3Error("InvalidRequest", "At least one action needs to be specified in a rule", 400);
            if (rules.Any(r => r.Id == id)) throw new S3Error("InvalidArgument", "Rule ID must be unique. Found same ID for more than one rule", 400);
            rules.Add(parsed);
        }
        if (rules.Count == 0) throw S3Error.Malformed();
        bucket.Lifecycle = rules;
        return S3Response.Empty();
    }

    private static S3Response DeleteLifecycle(ReportBucket bucket)
    {
        bucket.Lifecycle = null;
        return S3Response.Empty(204);
    }

    private S3Response ListObjectVersions(ReportBucket bucket, S3Request s3)
    {
        var (prefix, delimiter, max, encode) = ListingParameters(s3);
        var keyMarker = s3.Param("key-marker");
        var versionMarker = s3.Param("version-id-marker");
        if (versionMarker is not null && string.IsNullOrEmpty(keyMarker))
            throw new S3Error("InvalidArgument", "A version-id marker cannot be specified without a key marker.", 400, ("ArgumentName", "version-id-marker"), ("ArgumentValue", versionMarker));
        var page = bucket.ListVersions(prefix, delimiter, keyMarker, versionMarker, max);
        return S3Response.Ok(S3Xml.E("ListVersionsResult",
            S3Xml.E("Name", bucket.Name),
            S3Xml.E("Prefix", encode(prefix)),
            S3Xml.E("KeyMarker", encode(keyMarker ?? "")),
            S3Xml.E("VersionIdMarker", versionMarker ?? ""),
            page.IsTruncated ? S3Xml.E("NextKeyMarker", encode(page.NextKeyMarker!)) : null,
            page.IsTruncated && page.NextVersionIdMarker is { } nv ? S3Xml.E("NextVersionIdMarker", nv) : null,
            S3Xml.E("MaxKeys", max),
            delimiter is null ? null : S3Xml.E("Delimiter", encode(delimiter)),
            S3Xml.E("IsTruncated", S3Xml.Bool(page.IsTruncated)),
            page.Entries.Select(e => e.Version.IsDeleteMarker
                ? S3Xml.E("DeleteMarker",
                    S3Xml.E("Key", encode(e.Version.Key)), S3Xml.E("VersionId", e.Version.VersionId), S3Xml.E("IsLatest", S3Xml.Bool(e.IsLatest)),
                    S3Xml.E("LastModified", S3Xml.Timestamp(e.Version.LastModified)), Owner())
                : S3Xml.E("Version",
                    S3Xml.E("Key", encode(e.Version.Key)), S3Xml.E("VersionId", e.Version.VersionId), S3Xml.E("IsLatest", S3Xml.Bool(e.IsLatest)),
                    S3Xml.E("LastModified", S3Xml.Timestamp(e.Version.LastModified)), S3Xml.E("ETag", Quote(e.Version.ETag)),
                    S3Xml.E("Size", e.Version.Size), S3Xml.E("StorageClass", "STANDARD"), Owner())),
            page.CommonPrefixes.Select(p => S3Xml.E("CommonPrefixes", S3Xml.E("Prefix", encode(p)))),
            s3.Param("encoding-type") == "url" ? S3Xml.E("EncodingType", "url") : null));
    }

    private S3Response ListObjects(ReportBucket bucket, S3Request s3, bool v2)
    {
        var (prefix, delimiter, max, encode) = ListingParameters(s3);
        var token = s3.Param("continuation-token");
        string? after;
        try
        {
            after = v2 ? token is null ? s3.Param("start-after") : Encoding.UTF8.GetString(Convert.FromBase64String(token)) : s3.Param("marker");
        }
        catch (FormatException)
        {
            throw new S3Error("InvalidArgument", "The continuation token provided is incorrect", 400, ("ArgumentName", "continuation-token"));
        }
        var page = bucket.ListVersions(prefix, delimiter, after, null, max, currentOnly: true);
        var contents = page.Entries.Select(e => S3Xml.E("Contents",
            S3Xml.E("Key", encode(e.Version.Key)), S3Xml.E("LastModified", S3Xml.Timestamp(e.Version.LastModified)),
            S3Xml.E("ETag", Quote(e.Version.ETag)), S3Xml.E("Size", e.Version.Size), v2 && s3.Param("fetch-owner") != "true" ? null : Owner(),
            S3Xml.E("StorageClass", "STANDARD")));
        var next = page.IsTruncated ? page.NextKeyMarker : null;
        return S3Response.Ok(S3Xml.E("ListBucketResult",
            S3Xml.E("Name", bucket.Name),
            S3Xml.E("Prefix", encode(prefix)),
            v2 ? null : S3Xml.E("Marker", encode(after ?? "")),
            v2 && token is not null ? S3Xml.E("ContinuationToken", token) : null,
            v2 && next is not null ? S3Xml.E("NextContinuationToken", Convert.ToBase64String(Encoding.UTF8.GetBytes(next))) : null,
            !v2 && next is not null && delimiter is not null ? S3Xml.E("NextMarker", encode(next)) : null,
            v2 && s3.Param("start-after") is { } sa ? S3Xml.E("StartAfter", encode(sa)) : null,
            v2 ? S3Xml.E("KeyCount", page.Entries.Count + page.CommonPrefixes.Count) : null,
            S3Xml.E("MaxKeys", max),
            delimiter is null ? null : S3Xml.E("Delimiter", encode(delimiter)),
            S3Xml.E("IsTruncated", S3Xml.Bool(page.IsTruncated)),
            contents,
            page.CommonPrefixes.Select(p => S3Xml.E("CommonPrefixes", S3Xml.E("Prefix", encode(p)))),
            s3.Param("encoding-type") == "url" ? S3Xml.E("EncodingType", "url") : null));
    }

    private static (string Prefix, string? Delimiter, int Max, Func<string, string> Encode) ListingParameters(S3Request s3)
    {
        var max = 1000;
        if (s3.Param("max-keys") is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out max))
                throw new S3Error("InvalidArgument", "Provided max-keys not an integer or within integer range", 400, ("ArgumentName", "max-keys"), ("ArgumentValue", text));
            max = Math.Min(max, 1000);
        }
        var encoding = s3.Param("encoding-type");
        if (encoding is not (null or "url"))
            throw new S3Error("InvalidArgument", "Invalid Encoding Method specified in Request", 400, ("ArgumentName", "encoding-type"), ("ArgumentValue", encoding));
        Func<string, string> encode = encoding == "url" ? k => Uri.EscapeDataString(k).Replace("%2F", "/", StringComparison.Ordinal) : k => k;
        var delimiter = s3.Param("delimiter") is { Length: > 0 } d ? d : null;
        return (s3.Param("prefix") ?? "", delimiter, max, encode);
    }

    private static XElement Parse(S3Payload payload)
    {
        try
        {
            return XDocument.Parse(Encoding.UTF8.GetString(payload.Body)).Root ?? throw S3Error.Malformed();
        }
        catch (XmlException)
        {
            throw S3Error.Malformed();
        }
    }

    private static string Quote(string etag) => "\"" + etag + "\"";
}
