using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bot.Integrations.Aws.Signing;

/// <summary>
/// AWS Signature Version 4 (header form), as specified in the IAM user guide and checked against
/// the botocore test suite: canonical request → string to sign → HMAC chain → Authorization.
/// Pure: the caller supplies the time and adds the returned headers.
/// </summary>
public static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string AmzDateHeader = "x-amz-date";
    public const string SecurityTokenHeader = "x-amz-security-token";

    /// <summary>
    /// Signs <paramref name="request"/>. Every header it carries is signed; <c>x-amz-date</c> and, when
    /// the credentials hold a session token and the request does not, <c>x-amz-security-token</c> are
    /// added to the signed set (the caller must send them).
    /// </summary>
    public static SigningResult Sign(
        SignableRequest request,
        AwsCredentialSet credentials,
        string region,
        string service,
        DateTimeOffset time,
        bool normalizePath = true)
    {
        var amzDate = time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];

        var headers = new List<KeyValuePair<string, string>>(request.Headers);
        if (!headers.Any(h => h.Key.Equals(AmzDateHeader, StringComparison.OrdinalIgnoreCase)))
            headers.Add(new(AmzDateHeader, amzDate));
        if (!string.IsNullOrEmpty(credentials.SessionToken) &&
            !headers.Any(h => h.Key.Equals(SecurityTokenHeader, StringComparison.OrdinalIgnoreCase)))
            headers.Add(new(SecurityTokenHeader, credentials.SessionToken));

        var (canonicalHeaders, signedHeaders) = CanonicalHeaders(headers);
        var canonicalRequest = string.Join('\n',
            request.Method.ToUpperInvariant(),
            CanonicalPath(request.Path, normalizePath),
            CanonicalQuery(request.Query),
            canonicalHeaders,
            signedHeaders,
            Hex(SHA256.HashData(request.Body.Span)));

        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = string.Join('\n',
            Algorithm,
            amzDate,
            scope,
            Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var key = SigningKey(credentials.SecretAccessKey, date, region, service);
        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        var authorization = $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new SigningResult(canonicalRequest, stringToSign, signature, authorization, amzDate, signedHeaders);
    }

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").</summary>
    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var kDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        var kRegion = HMACSHA256.HashData(kDate, Encoding.UTF8.GetBytes(region));
        var kService = HMACSHA256.HashData(kRegion, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(kService, "aws4_request"u8.ToArray());
    }

    /// <summary>
    /// The path as sent, with dot segments and repeated slashes removed (services other than S3), then
    /// URI-encoded once more. For a path already percent-encoded on the wire that is the "double
    /// encoding" AWS asks of non-S3 services.
    /// </summary>
    internal static string CanonicalPath(string path, bool normalize)
    {
        if (string.IsNullOrEmpty(path)) return "/";
        if (normalize) path = NormalizePath(path);
        return UriEncode(path, encodeSlash: false);
    }

    internal static string NormalizePath(string path)
    {
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".") continue;
            if (segment == "..")
            {
                if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        var normalized = "/" + string.Join('/', segments);
        var endsWithSlash = path.EndsWith('/') || path.EndsWith("/.", StringComparison.Ordinal) || path.EndsWith("/..", StringComparison.Ordinal);
        if (endsWithSlash && segments.Count > 0) normalized += "/";
        return normalized;
    }

    /// <summary>Parameters decoded, re-encoded strictly (RFC 3986 unreserved kept), sorted by key then value.</summary>
    internal static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query)) return "";
        var pairs = new List<(string Key, string Value)>();
        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add((UriEncode(PercentDecode(key), encodeSlash: true), UriEncode(PercentDecode(value), encodeSlash: true)));
        }
        return string.Join('&', pairs
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
    }

    internal static (string Canonical, string Signed) CanonicalHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var grouped = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var key = name.Trim().ToLowerInvariant();
            if (!grouped.TryGetValue(key, out var values)) grouped[key] = values = [];
            values.Add(CollapseWhitespace(value));
        }
        var canonical = new StringBuilder();
        foreach (var (name, values) in grouped) canonical.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        return (canonical.ToString(), string.Join(';', grouped.Keys));
    }

    private static string CollapseWhitespace(string value)
    {
        var result = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value.Trim())
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace && result.Length > 0) result.Append(' ');
            pendingSpace = false;
            result.Append(c);
        }
        return result.ToString();
    }

    private static string UriEncode(string value, bool encodeSlash)
    {
        var result = new StringBuilder(value.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~' || (c == '/' && !encodeSlash))
                result.Append(c);
            else
                result.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return result.ToString();
    }

    private static string PercentDecode(string value) =>
        value.Contains('%') ? Uri.UnescapeDataString(value) : value;

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
