namespace Bot.Integrations.Http;

/// <summary>How an outside system's HTTP calls are retried (sections <c>Slack:Retry</c>, <c>PagerDuty:Retry</c>).</summary>
public sealed class HttpRetryOptions
{
    /// <summary>Retries after the first attempt, for 5xx, timeouts and short 429s (5xx and timeouts of idempotent requests only).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff delay; doubles each retry (with jitter).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A 429 asking to wait at most this long is waited out in process; a longer one is handed back to the caller (the outbox
    /// and the activity runner reschedule it durably).
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take before it counts as timed out.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
