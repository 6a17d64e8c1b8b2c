using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Bot.Sandbox.Protocols;

/// <summary>
/// Checks that a request carries a SigV4 <c>Authorization</c> header of the right shape, scoped to the
/// operation's signing name and the sandbox's region, dated within the allowed clock skew. The HMAC itself
/// is not verified (the client's signer is tested against AWS's own suite); any access key is accepted
/// except the configured denied and expired ones, which get the errors AWS would give.
/// </summary>
internal sealed partial class SigV4AuthCheck(SandboxOptions options, TimeProvider time)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The access key id of a valid request (throws <see cref="AwsException"/> otherwise).</summary>
    public string Check(HttpRequest request, SandboxOperation operation)
    {
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header))
            throw new AwsException("MissingAuthenticationTokenException", "Request is missing Authentication Token", 403);
        if (!header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
            throw Incomplete($"Unsupported Authorization Type. Only '{Algorithm}' is accepted.");

        var parts = ParseParameters(header[(Algorithm.Length + 1)..]);
        parts.TryGetValue("Credential", out var credential);
        parts.TryGetValue("SignedHeaders", out var signedHeaders);
        parts.TryGetValue("Signature", out var signature);
        var missing = new List<string>();
        if (string.IsNullOrEmpty(credential)) missing.Add("Authorization header requires 'Credential' parameter.");
        if (string.IsNullOrEmpty(signature)) missing.Add("Authorization header requires 'Signature' parameter.");
        if (string.IsNullOrEmpty(signedHeaders)) missing.Add("Authorization header requires 'SignedHeaders' parameter.");
        if (missing.Count > 0) throw Incomplete(string.Join(' ', missing));

        var scope = credential!.Split('/');
        if (scope.Length != 5 || scope.Any(string.IsNullOrEmpty) || scope[4] != "aws4_request")
            throw Incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + credential + "'");
        if (!SignaturePattern().IsMatch(signature!))
            throw Incomplete("Signature must be 64 lowercase hexadecimal characters.");
        var signed = signedHeaders!.Split(';');
        if (!signed.Contains("host"))
            throw new AwsException("InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.", 403);

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (string.IsNullOrEmpty(amzDate))
            throw Incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
            throw Incomplete($"X-Amz-Date must be in ISO-8601 basic format (yyyyMMddTHHmmssZ), got '{amzDate}'.");
        if (scope[1] != amzDate[..8])
            throw Invalid($"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope[1]}' != '{amzDate[..8]}', from '{amzDate}'.");

        if (scope[3] != operation.SigningName)
            throw Invalid($"Credential should be scoped to correct service: '{operation.SigningName}'. ");
        // Cost Explorer and IAM are global services signed for us-east-1.
        var region = operation.SigningName is "ce" or "iam" ? "us-east-1" : options.Region;
        if (scope[2] != region)
            throw Invalid($"Credential should be scoped to a valid region, not '{scope[2]}'. ");

        if (options.ClockSkewTolerance is { } skew)
        {
            var now = time.GetUtcNow();
            if (signedAt < now - skew)
                throw Invalid($"Signature expired: {amzDate} is now earlier than {Format(now - skew)} ({Format(now)} - {skew.TotalMinutes:0} min.)");
            if (signedAt > now + skew)
                throw Invalid($"Signature not yet current: {amzDate} is still later than {Format(now + skew)} ({Format(now)} + {skew.TotalMinutes:0} min.)");
        }

        var accessKeyId = scope[0];
        var status = operation.Protocol is WireProtocol.RestJson or WireProtocol.QueryCompatibleJson10 or WireProtocol.Query ? 403 : 400;
        if (accessKeyId == options.ExpiredAccessKeyId)
            throw new AwsException("ExpiredTokenException", "The security token included in the request is expired", status);
        if (accessKeyId == options.DeniedAccessKeyId)
            throw new AwsException("AccessDeniedException",
                $"User: arn:aws:iam::{options.AccountId}:user/sandbox-denied is not authorized to perform: {IamPrefix(operation.SigningName)}:{operation.Name} because no identity-based policy allows the {IamPrefix(operation.SigningName)}:{operation.Name} action",
                status);
        return accessKeyId;
    }

    private static string IamPrefix(string signingName) => signingName == "monitoring" ? "cloudwatch" : signingName;

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static Dictionary<string, string> ParseParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var eq = part.IndexOf('=');
            if (eq <= 0) continue;
            result[part[..eq]] = part[(eq + 1)..];
        }
        return result;
    }

    private static AwsException Incomplete(string message) => new("IncompleteSignatureException", message, 403);
    private static AwsException Invalid(string message) => new("InvalidSignatureException", message, 403);

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex SignaturePattern();
}
