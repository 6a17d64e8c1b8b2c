using System.Text.RegularExpressions;

namespace Bot.Commands.Redaction;

/// <summary>
/// Masks secrets and personal data in text the bot is about to post (log lines above all): AWS
/// access key ids and secret-looking keys, bearer / Slack / GitHub tokens and JWTs, private key
/// blocks, passwords and other secrets in <c>key=value</c>, <c>key: value</c> and JSON form, and
/// e-mail addresses. Pure and safe to call on any input.
/// </summary>
public static partial class Redactor
{
    public const string Mask = "[REDACTED]";

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        try
        {
            return RedactAll(text);
        }
        catch (RegexMatchTimeoutException)
        {
            // Too costly to check: show nothing rather than risk a secret.
            return "[REDACTED: too long to check]";
        }
    }

    /// <summary>Only the e-mail addresses masked: for AWS's own identifiers (IAM user names, event names), which the other rules would mistake for secrets.</summary>
    public static string RedactEmails(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        try
        {
            return Email().Replace(text, "[REDACTED-EMAIL]");
        }
        catch (RegexMatchTimeoutException)
        {
            return "[REDACTED: too long to check]";
        }
    }

    private static string RedactAll(string text)
    {
        var result = PrivateKeyBlock().Replace(text, Mask);
        result = JsonSecret().Replace(result, m => $"{m.Groups["key"].Value}{m.Groups["sep"].Value}\"{Mask}\"");
        result = KeyValueSecret().Replace(result, m => $"{m.Groups["key"].Value}{m.Groups["sep"].Value}{Mask}");
        result = BearerToken().Replace(result, m => $"{m.Groups["scheme"].Value} {Mask}");
        result = SlackToken().Replace(result, Mask);
        result = GitHubToken().Replace(result, Mask);
        result = Jwt().Replace(result, Mask);
        result = AwsAccessKeyId().Replace(result, m => m.Value[..4] + Mask);
        result = AwsSecretLike().Replace(result, m => LooksLikeSecret(m.Value) ? Mask : m.Value);
        result = Email().Replace(result, "[REDACTED-EMAIL]");
        return result;
    }

    // A 40-character base64 run with upper case, lower case and a digit or symbol: AWS secret keys
    // look like this, SHA-1 hex digests (lower case only) do not.
    private static bool LooksLikeSecret(string value) =>
        value.Any(char.IsAsciiLetterUpper) && value.Any(char.IsAsciiLetterLower) && value.Any(c => char.IsAsciiDigit(c) || c is '/' or '+');

    private const string SecretNames = @"[A-Za-z0-9_.\-]*(?:password|passwd|pwd|secret|token|api[_\-]?key|access[_\-]?key|private[_\-]?key|credential|client[_\-]?secret|session[_\-]?key|authorization)[A-Za-z0-9_.\-]*";


    [GeneratedRegex("(?<key>\"" + SecretNames + "\")(?<sep>\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex JsonSecret();

    [GeneratedRegex("(?<key>\\b" + SecretNames + ")(?<sep>\\s*[=:]\\s*)(?:\"[^\"]*\"|'[^']*'|[^\\s,;&\"'}]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex KeyValueSecret();

    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic|Token))\s+[A-Za-z0-9\-._~+/]+=*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"\bxox[abposer]-[A-Za-z0-9\-]+|\bxapp-[A-Za-z0-9\-]+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"\b(?:ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]*", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{16}\b", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex AwsAccessKeyId();

    [GeneratedRegex(@"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex AwsSecretLike();

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PrivateKeyBlock();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Email();
}
