using System.Security.Cryptography;
using System.Text;

namespace Bot.PagerDuty;

/// <summary>What a webhook signature check found; anything but <see cref="Valid"/> is answered with 401.</summary>
public enum PagerDutySignatureCheck { Valid, Missing, Malformed, Mismatch, NoSecretConfigured }

/// <summary>
/// PagerDuty's V3 webhook signatures: <c>X-PagerDuty-Signature</c> is a comma-separated list of
/// <c>v1=&lt;hex&gt;</c> entries (several while a secret is being rotated), each the lowercase hex of
/// HMAC-SHA256(webhook secret, raw body). The request is genuine when any <c>v1</c> entry matches;
/// entries of other versions are skipped. Compared in constant time.
/// </summary>
public static class PagerDutySignatureVerifier
{
    public const string SignatureHeader = "X-PagerDuty-Signature";
    public const string Version = "v1";

    /// <summary>A header with more entries than this is not from PagerDuty.</summary>
    private const int MaxEntries = 16;

    public static PagerDutySignatureCheck Verify(string? secret, string? header, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(secret)) return PagerDutySignatureCheck.NoSecretConfigured;
        if (string.IsNullOrWhiteSpace(header)) return PagerDutySignatureCheck.Missing;

        var entries = header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length is 0 or > MaxEntries) return PagerDutySignatureCheck.Malformed;

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var sawV1 = false;
        var match = false;
        foreach (var entry in entries)
        {
            var equals = entry.IndexOf('=');
            if (equals <= 0 || entry[..equals] != Version) continue;
            sawV1 = true;
            var hex = entry.AsSpan(equals + 1);
            if (hex.Length != HMACSHA256.HashSizeInBytes * 2 || Convert.FromHexString(hex, given, out _, out _) != System.Buffers.OperationStatus.Done) continue;
            // No early exit: every entry is compared, so the timing says nothing about which one matched.
            match |= CryptographicOperations.FixedTimeEquals(expected, given);
        }
        if (!sawV1) return PagerDutySignatureCheck.Malformed;
        return match ? PagerDutySignatureCheck.Valid : PagerDutySignatureCheck.Mismatch;
    }

    /// <summary>The <c>v1=…</c> signature PagerDuty would send for this body.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Version + "=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
