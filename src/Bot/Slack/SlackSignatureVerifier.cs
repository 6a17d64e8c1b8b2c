using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bot.Slack;

/// <summary>What a signature check found; anything but <see cref="Valid"/> is answered with 401.</summary>
public enum SignatureCheck { Valid, MissingHeaders, MalformedTimestamp, StaleTimestamp, BadSignature, NoSecretConfigured }

/// <summary>
/// Slack's request signing: <c>v0=</c> + lowercase hex of HMAC-SHA256(signing secret,
/// <c>v0:{timestamp}:{raw body}</c>), compared in constant time; timestamps more than five minutes
/// from now (either way) are refused so a captured request cannot be replayed later.
/// </summary>
public static class SlackSignatureVerifier
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static SignatureCheck Verify(string? signingSecret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(signingSecret)) return SignatureCheck.NoSecretConfigured;
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature)) return SignatureCheck.MissingHeaders;
        if (timestamp.Length > 12 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return SignatureCheck.MalformedTimestamp;
        var age = now.ToUnixTimeSeconds() - seconds;
        if (Math.Abs(age) > (long)Window.TotalSeconds) return SignatureCheck.StaleTimestamp;

        var expected = Encoding.ASCII.GetBytes(Sign(signingSecret, timestamp, body));
        var given = Encoding.UTF8.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? SignatureCheck.Valid : SignatureCheck.BadSignature;
    }

    /// <summary>The <c>v0=…</c> signature Slack would send for this timestamp and body.</summary>
    public static string Sign(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), message);
        return "v0=" + Convert.ToHexStringLower(mac);
    }
}
