using System.Globalization;
using System.Xml.Linq;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>An S3 error: S3's code, message and status, the extra elements its <c>&lt;Error&gt;</c> carries, and headers.</summary>
internal sealed class S3Error(string code, string message, int status, params (string Name, string Value)[] details) : Exception(message)
{
    public string Code { get; } = code;
    public int Status { get; } = status;
    public IReadOnlyList<(string Name, string Value)> Details { get; } = details;
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static S3Error NoSuchBucket(string bucket) => new("NoSuchBucket", "The specified bucket does not exist", 404, ("BucketName", bucket));
    public static S3Error NoSuchKey(string key) => new("NoSuchKey", "The specified key does not exist.", 404, ("Key", key));
    public static S3Error NoSuchVersion(string key, string versionId) => new("NoSuchVersion", "The specified version does not exist.", 404, ("Key", key), ("VersionId", versionId));
    public static S3Error Malformed(string message = "The XML you provided was not well-formed or did not validate against our published schema") => new("MalformedXML", message, 400);

    /// <summary>
    /// S3's form of the sandbox's SigV4 and fault errors: S3 names them AccessDenied, AuthorizationHeaderMalformed,
    /// SignatureDoesNotMatch, RequestTimeTooSkewed and ExpiredToken, with its own statuses.
    /// </summary>
    public static S3Error From(AwsException error) => error.Code switch
    {
        "MissingAuthenticationTokenException" or "AccessDeniedException" => new("AccessDenied", "Access Denied", 403),
        "IncompleteSignatureException" => new("AuthorizationHeaderMalformed", "The authorization header is malformed; " + error.Message, 400),
        "InvalidSignatureException" when error.Message.StartsWith("Signature expired", StringComparison.Ordinal) || error.Message.StartsWith("Signature not yet", StringComparison.Ordinal)
            => new("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", 403),
        "InvalidSignatureException" when error.Message.Contains("scoped", StringComparison.Ordinal)
            => new("AuthorizationHeaderMalformed", "The authorization header is malformed; " + error.Message.Trim(), 400),
        "InvalidSignatureException" => new("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.", 403),
        "ExpiredTokenException" => new("ExpiredToken", "The provided token has expired.", 400),
        _ => new(error.Code, error.Message, error.Status),
    };
}

/// <summary>S3's XML: the 2006-03-01 namespace, ISO timestamps with milliseconds, HTTP dates in headers.</summary>
internal static class S3Xml
{
    public static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    public static XElement E(string name, params object?[] content) => new(Ns + name, content);

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string HttpDate(DateTimeOffset t) => t.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

    public static string Bool(bool b) => b ? "true" : "false";

    public static string Document(XElement root) => "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.ToString(SaveOptions.DisableFormatting);

    /// <summary>An <c>&lt;Error&gt;</c> document (no namespace, as S3 writes it).</summary>
    public static string Error(S3Error error, string requestId)
    {
        var root = new XElement("Error", new XElement("Code", error.Code), new XElement("Message", error.Message));
        foreach (var (name, value) in error.Details) root.Add(new XElement(name, value));
        root.Add(new XElement("RequestId", requestId), new XElement("HostId", Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("sandbox/" + requestId))));
        return Document(root);
    }

    /// <summary>The value of <c>&lt;name&gt;</c> directly under <paramref name="parent"/>, with or without the S3 namespace.</summary>
    public static string? Child(XElement parent, string name) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}
