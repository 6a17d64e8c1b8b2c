using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bot.Testing.Slack;

/// <summary>
/// Builds requests the way Slack sends them: raw body, <c>X-Slack-Request-Timestamp</c> and a
/// <c>v0=</c> HMAC-SHA256 signature. Written independently of the bot's verifier so the tests check it.
/// </summary>
public sealed class SlackRequestSigner(string signingSecret, Func<DateTimeOffset>? now = null)
{
    public string SigningSecret { get; } = signingSecret;

    public static string Signature(string secret, string timestamp, byte[] body)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var baseString = Encoding.UTF8.GetBytes($"v0:{timestamp}:").Concat(body).ToArray();
        return "v0=" + Convert.ToHexString(hmac.ComputeHash(baseString)).ToLowerInvariant();
    }

    public string Timestamp() => (now?.Invoke() ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>A signed POST of a form body (slash commands, interactions).</summary>
    public HttpRequestMessage Form(string path, string formBody, string? timestamp = null) =>
        SignedPost(path, Encoding.UTF8.GetBytes(formBody), "application/x-www-form-urlencoded", timestamp);

    /// <summary>A signed POST of a JSON body (Events API).</summary>
    public HttpRequestMessage Json(string path, string json, string? timestamp = null) =>
        SignedPost(path, Encoding.UTF8.GetBytes(json), "application/json", timestamp);

    public HttpRequestMessage SignedPost(string path, byte[] body, string contentType, string? timestamp = null)
    {
        var ts = timestamp ?? Timestamp();
        var request = UnsignedPost(path, body, contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", ts);
        request.Headers.Add("X-Slack-Signature", Signature(SigningSecret, ts, body));
        return request;
    }

    public static HttpRequestMessage UnsignedPost(string path, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    /// <summary>A slash command form body as Slack sends it, with a fresh <c>trigger_id</c> unless one is given (Slack makes one per invocation).</summary>
    public static string SlashCommandForm(string text, string responseUrl, string userId = "U1ALICE", string userName = "alice", string channelId = "C0OPS", string teamId = "T0TEAM", string command = "/sb", string? triggerId = null) =>
        string.Join('&', new Dictionary<string, string>
        {
            ["token"] = "deprecated-verification-token",
            ["team_id"] = teamId,
            ["team_domain"] = "securebase",
            ["channel_id"] = channelId,
            ["channel_name"] = "securebase-ops",
            ["user_id"] = userId,
            ["user_name"] = userName,
            ["command"] = command,
            ["text"] = text,
            ["response_url"] = responseUrl,
            ["trigger_id"] = triggerId ?? NewTriggerId(),
        }.Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}"));

    /// <summary>A trigger id shaped like Slack's (<c>13345224609.738474920.8088930838d88f008e0</c>), new each call.</summary>
    public static string NewTriggerId() =>
        $"{Random.Shared.NextInt64(10_000_000_000, 99_999_999_999)}.{Random.Shared.Next(100_000_000, 999_999_999)}.{Guid.NewGuid():N}"[..^10];

    /// <summary>The form body of an interaction: <c>payload=</c> and the URL-encoded JSON.</summary>
    public static string InteractionForm(string payloadJson) => "payload=" + Uri.EscapeDataString(payloadJson);
}
