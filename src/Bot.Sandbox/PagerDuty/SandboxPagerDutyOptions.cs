namespace Bot.Sandbox.PagerDuty;

/// <summary>
/// The simulated PagerDuty account (section <c>Sandbox:PagerDuty</c>). The credentials are fake and only
/// meaningful to the sandbox; the bot running with the sandbox uses them automatically.
/// </summary>
public sealed class SandboxPagerDutyOptions
{
    /// <summary>The REST API key the sandbox accepts (<c>Authorization: Token token=…</c>).</summary>
    public string ApiToken { get; set; } = "sandbox-pagerduty-api-token-0001";

    /// <summary>The secret the sandbox signs its webhooks with.</summary>
    public string WebhookSecret { get; set; } = "sandbox-pagerduty-webhook-secret-0001";

    /// <summary>Where the sandbox delivers its V3 webhooks (a loopback URL), if anywhere from the start.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>How much faster than real time escalation, acknowledgement timeouts and snoozes run (60: a 15-minute level lasts 15 s).</summary>
    public double ClockSpeed { get; set; } = 1;

    /// <summary>The first wait before a failed webhook delivery is tried again; it doubles each time (PagerDuty: 5 attempts over about 20 minutes).</summary>
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a slow PagerDuty (<c>/sb sandbox pager fail slow</c>) takes to answer: longer than the bot waits for one.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(12);

    /// <summary>How long a delivery attempt may take (PagerDuty expects a 2xx within 5 seconds).</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
