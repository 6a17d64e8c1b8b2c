namespace Bot.Integrations.Aws.Signing;

/// <summary>
/// The parts of an HTTP request that SigV4 covers, exactly as they go on the wire: the path as sent
/// (percent-encoded or not), the raw query string without <c>?</c>, the headers in order (repeats
/// allowed), and the body bytes.
/// </summary>
public sealed record SignableRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body);

/// <summary>What signing produced: the intermediate texts (for tests and debugging) and the headers to send.</summary>
public sealed record SigningResult(
    string CanonicalRequest,
    string StringToSign,
    string Signature,
    string Authorization,
    string AmzDate,
    string SignedHeaders);

/// <summary>Access key, secret and optional session token at one moment (never logged).</summary>
public sealed record AwsCredentialSet(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    public override string ToString() => $"AwsCredentialSet({AccessKeyId[..Math.Min(4, AccessKeyId.Length)]}…)";
}
