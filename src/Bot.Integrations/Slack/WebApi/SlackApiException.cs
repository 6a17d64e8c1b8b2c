namespace Bot.Integrations.Slack.WebApi;

/// <summary>
/// A Web API call failed. <see cref="ErrorCode"/> is Slack's own code (<c>channel_not_found</c>,
/// <c>invalid_auth</c> …) or <c>http_503</c> / <c>timeout</c> for transport failures.
/// </summary>
public class SlackApiException(string method, string errorCode, bool transient, string? detail = null, Exception? inner = null)
    : Exception($"Slack {method} failed: {errorCode}{(string.IsNullOrEmpty(detail) ? "" : $" ({detail})")}", inner)
{
    public string Method { get; } = method;
    public string ErrorCode { get; } = errorCode;
    /// <summary>Worth retrying later (5xx, timeouts, rate limits); permanent errors are not.</summary>
    public bool Transient { get; } = transient;
}

/// <summary>Slack answered 429 and asked us to wait longer than we wait in process.</summary>
public sealed class SlackRateLimitedException(string method, TimeSpan retryAfter)
    : SlackApiException(method, "ratelimited", transient: true, $"retry after {retryAfter.TotalSeconds:0} s")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
