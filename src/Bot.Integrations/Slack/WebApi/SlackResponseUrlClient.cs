using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bot.Integrations.Slack;
using Bot.Integrations.Slack.BlockKit;
using Bot.Workflows.Messages;

namespace Bot.Integrations.Slack.WebApi;

/// <summary>
/// Posts follow-ups to a request's <c>response_url</c> (valid 30 minutes, 5 uses). Only Slack's own
/// hosts (and loopback, for local fakes) are accepted, so a crafted URL cannot make the bot call
/// elsewhere.
/// </summary>
public sealed class SlackResponseUrlClient(HttpClient http, TimeProvider time)
{
    public Task PostAsync(string responseUrl, ChatMessage message, CancellationToken cancellationToken) =>
        PostAsync(responseUrl, MessageRenderer.Render(message), cancellationToken);

    public async Task PostAsync(string responseUrl, SlackMessage message, CancellationToken cancellationToken)
    {
        if (!IsAllowed(responseUrl, out var url))
            throw new SlackApiException("response_url", "invalid_response_url", transient: false);

        var payload = SlackResponsePayload.From(message);
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(url, payload, BlockKitJson.Options, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new SlackApiException("response_url", "connection_failed", transient: true, inner: e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SlackApiException("response_url", "timeout", transient: true, inner: e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (status == 429)
                throw new SlackRateLimitedException("response_url", SlackWebApiClient.RetryAfter(response.Headers.RetryAfter, time));
            if (status is < 200 or >= 300)
                throw new SlackApiException("response_url", ErrorCode(body) ?? $"http_{status}", transient: status >= 500);
            if (ErrorCode(body) is { } code)
                throw new SlackApiException("response_url", code, transient: false);
        }
    }

    /// <summary>Absolute https on a slack.com host, or any loopback address (tests, local fakes).</summary>
    public static bool IsAllowed(string? responseUrl, out Uri url)
    {
        if (!Uri.TryCreate(responseUrl, UriKind.Absolute, out url!)) return false;
        if (url.IsLoopback && url.Scheme is "http" or "https") return true;
        return url.Scheme == Uri.UriSchemeHttps
            && (url.Host.Equals("slack.com", StringComparison.OrdinalIgnoreCase) || url.Host.EndsWith(".slack.com", StringComparison.OrdinalIgnoreCase));
    }

    // response_url answers "ok" on success; failures come as a status or {"ok":false,"error":"…"}.
    private static string? ErrorCode(string body)
    {
        if (!body.TrimStart().StartsWith('{')) return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.False)
                return root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : "unknown_error";
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
