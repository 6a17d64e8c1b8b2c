using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Bot.Sandbox.Account;
using Bot.Sandbox.Account.S3;
using Bot.Sandbox.Protocols;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bot.Sandbox.Services;

/// <summary>What an S3 operation answers: status, headers and an XML document or raw bytes.</summary>
internal sealed record S3Response(int Status, Dictionary<string, string> Headers, XElement? Xml = null, byte[]? Bytes = null, string? ContentType = null)
{
    public static S3Response Ok(XElement xml) => new(200, [], xml);
    public static S3Response Empty(int status = 200) => new(status, []);
}

/// <summary>
/// S3 (REST-XML, signing name <c>s3</c>) on the sandbox's port, for the reports buckets, path-style
/// (<c>/&lt;bucket&gt;/&lt;key&gt;</c>, as AWSSDK.S3 with ForcePathStyle and the CLI with --endpoint-url send it) or
/// virtual-hosted (<c>&lt;bucket&gt;.localhost</c>). Buckets: ListBuckets, HeadBucket, GetBucketLocation,
/// Get/PutBucketVersioning, Get/Put/DeleteBucketLifecycle(Configuration), ListObjectVersions, ListObjectsV2,
/// ListObjects. Objects: GetObject, HeadObject (both with versionId), PutObject, CopyObject (x-amz-copy-source with
/// ?versionId=), DeleteObject. Errors are S3's XML <c>&lt;Error&gt;</c> documents (no body for HEAD).
/// </summary>
internal sealed partial class S3Service(SandboxAccount account, ILogger logger)
{
    private readonly SigV4AuthCheck _auth = new(account.Options, account.Time);

    /// <summary>Whether a request is meant for S3: signed for s3, virtual-hosted on a bucket, or a path under a bucket.</summary>
    public bool Matches(HttpRequest request)
    {
        if (S3Request.IsSignedForS3(request) || VirtualHostBucket(request) is not null) return true;
        if (request.Headers.ContainsKey("X-Amz-Target") || request.Headers.Authorization.Count > 0) return false;
        var first = (request.Path.Value ?? "/").TrimStart('/').Split('/')[0];
        return account.S3.Bucket(first) is not null;
    }

    private string? VirtualHostBucket(HttpRequest request) => S3Request.VirtualHostBucket(request, account.S3.Names);

    /// <summary>Serves one S3 request; returns the operation's name for the request log.</summary>
    public async Task<string> HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var requestId = context.Response.Headers["x-amzn-RequestId"].ToString();
        context.Response.Headers["x-amz-request-id"] = requestId;
        var operation = "S3";
        try
        {
            var s3 = S3Request.Parse(request, VirtualHostBucket(request));
            operation = s3.Operation;
            if (operation.StartsWith("Unsupported:", StringComparison.Ordinal))
                throw new S3Error("NotImplemented", $"A header you provided implies functionality that is not implemented (the sandbox does not serve {operation[12..]}).", 501);
            var sandboxOperation = new SandboxOperation("s3", operation, WireProtocol.RestXml);
            try
            {
                _auth.Check(request, sandboxOperation);
                await account.Faults.DelayAsync(sandboxOperation, context.RequestAborted);
                if (account.Faults.ErrorFor(sandboxOperation) is { } fault) throw fault;
            }
            catch (AwsException ex)
            {
                throw S3Error.From(ex);
            }
            var payload = await S3Payload.ReadAsync(request, context.RequestAborted);
            await WriteAsync(context, Dispatch(s3, request, payload));
        }
        catch (S3Error error)
        {
            await WriteErrorAsync(context, error, requestId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Sandbox S3 {Operation} failed", operation);
            await WriteErrorAsync(context, new S3Error("InternalError", "We encountered an internal error. Please try again.", 500), requestId);
        }
        return operation;
    }

    private S3Response Dispatch(S3Request s3, HttpRequest request, S3Payload payload)
    {
        if (s3.Operation == "ListBuckets") return ListBuckets();
        var bucket = account.S3.Bucket(s3.Bucket!) ?? throw S3Error.NoSuchBucket(s3.Bucket!);
        return s3.Operation switch
        {
            "HeadBucket" => new S3Response(200, new() { ["x-amz-bucket-region"] = account.Options.Region }),
            "GetBucketLocation" => S3Response.Ok(S3Xml.E("LocationConstraint", account.Options.Region == "us-east-1" ? null : account.Options.Region)),
            "GetBucketVersioning" => GetVersioning(bucket),
            "PutBucketVersioning" => PutVersioning(bucket, payload),
            "GetBucketLifecycleConfiguration" => GetLifecycle(bucket),
            "PutBucketLifecycleConfiguration" => PutLifecycle(bucket, payload),
            "DeleteBucketLifecycle" => DeleteLifecycle(bucket),
            "ListObjectVersions" => ListObjectVersions(bucket, s3),
            "ListObjectsV2" => ListObjects(bucket, s3, v2: true),
            "ListObjects" => ListObjects(bucket, s3, v2: false),
            "GetObject" => GetObject(bucket, s3, withBody: true),
            "HeadObject" => GetObject(bucket, s3, withBody: false),
            "PutObject" => PutObject(bucket, s3, request, payload),
            "CopyObject" => CopyObject(bucket, s3, request),
            _ => DeleteObject(bucket, s3),
        };
    }

    private static async Task WriteAsync(HttpContext context, S3Response answer)
    {
        var response = context.Response;
        response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers) response.Headers[name] = value;
        if (answer.Xml is not null)
        {
            response.ContentType = "application/xml";
            await response.WriteAsync(S3Xml.Document(answer.Xml), context.RequestAborted);
        }
        else if (answer.Bytes is not null)
        {
            response.ContentType = answer.ContentType ?? "binary/octet-stream";
            response.ContentLength = answer.Bytes.Length;
            if (context.Request.Method != "HEAD") await response.Body.WriteAsync(answer.Bytes, context.RequestAborted);
        }
        else if (answer.Headers.TryGetValue("Content-Length", out _))
        {
            response.ContentType = answer.ContentType ?? "binary/octet-stream";
        }
    }

    private static Task WriteErrorAsync(HttpContext context, S3Error error, string requestId)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        foreach (var (name, value) in error.Headers) response.Headers[name] = value;
        if (context.Request.Method == "HEAD") return Task.CompletedTask;
        response.ContentType = "application/xml";
        return response.WriteAsync(S3Xml.Error(error, requestId));
    }

    private XElement Owner() => S3Xml.E("Owner",
        S3Xml.E("ID", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("canonical:" + account.Options.AccountId)))),
        S3Xml.E("DisplayName", "securebase-ops"));

    private S3Response ListBuckets() => S3Response.Ok(S3Xml.E("ListAllMyBucketsResult",
        Owner(),
        S3Xml.E("Buckets", account.S3.All.Select(b => S3Xml.E("Bucket",
            S3Xml.E("Name", b.Name), S3Xml.E("CreationDate", S3Xml.Timestamp(b.Created)), S3Xml.E("BucketRegion", account.Options.Region))))));

    private static Dictionary<string, string> VersionHeaders(ReportBucket bucket, ObjectVersion version)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (bucket.Versioning is not null || version.VersionId != "null") headers["x-amz-version-id"] = version.VersionId;
        return headers;
    }
}
