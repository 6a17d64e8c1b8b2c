using System.Net.Mail;
using Bot.Integrations.Http;

namespace Bot.Integrations.PagerDuty;

/// <summary>
/// PagerDuty settings, bound from the <c>PagerDuty</c> section (environment: <c>PagerDuty__ApiToken</c> …).
/// PagerDuty is optional: with none of these set the bot runs without it and its PagerDuty features say
/// so. The token, the webhook secret and the routing keys are secrets: never logged or echoed.
/// </summary>
public sealed class PagerDutyOptions
{
    public const string Section = "PagerDuty";
    public const string DefaultApiBaseUrl = "https://api.pagerduty.com/";
    public const string DefaultEventsBaseUrl = "https://events.pagerduty.com/";

    /// <summary>A REST API v2 key (account or user token), sent as <c>Authorization: Token token=…</c>.</summary>
    public string? ApiToken { get; set; }

    /// <summary>The secret of the V3 webhook subscription; signs every delivery to <c>/pagerduty/webhooks</c>.</summary>
    public string? WebhookSecret { get; set; }

    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    public string EventsBaseUrl { get; set; } = DefaultEventsBaseUrl;

    /// <summary>The bot's own PagerDuty user e-mail: the <c>From</c> header of actions the bot takes itself.</summary>
    public string? FromEmail { get; set; }

    /// <summary>The SecureBase escalation policy (its id, e.g. <c>PSB0001</c>): whose on-calls <c>/sb oncall</c> shows.</summary>
    public string? EscalationPolicyId { get; set; }

    /// <summary>
    /// Which incidents are SecureBase's (<c>PagerDuty__ServiceIds__N</c>, e.g. <c>PSBLMB1</c>): the bot follows incidents on
    /// these services only. With <see cref="TeamIds"/> too, an incident must match both.
    /// </summary>
    public List<string> ServiceIds { get; set; } = [];

    /// <summary>Which incidents are SecureBase's by team (<c>PagerDuty__TeamIds__N</c>): incidents of one of these teams.</summary>
    public List<string> TeamIds { get; set; } = [];

    /// <summary>
    /// Events API v2 integration keys by service name (<c>PagerDuty__RoutingKeys__securebase-prod-lambda=…</c>):
    /// where <c>/sb page &lt;service&gt;</c> sends its alert.
    /// </summary>
    public Dictionary<string, string> RoutingKeys { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Which incidents are SecureBase's, as the domain asks it (e.g. for break-glass): the same <see cref="Scope"/> the bot follows.</summary>
    public Bot.Workflows.Changes.SecureBaseIncidents SecureBaseIncidents() =>
        new(Scope.ServiceIds.ToHashSet(StringComparer.Ordinal), Scope.TeamIds.ToHashSet(StringComparer.Ordinal));

    /// <summary>How the clients retry; the defaults suit production.</summary>
    public HttpRetryOptions Retry { get; set; } = new();

    /// <summary>The instance's budget of REST requests, shared by every caller (<see cref="PagerDutyRateBudget"/>).</summary>
    public PagerDutyRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>True when the REST API can be called (a token is set).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiToken);

    /// <summary>True when any PagerDuty setting is given: then the whole section must be valid.</summary>
    public bool IsUsed =>
        !string.IsNullOrWhiteSpace(ApiToken) || !string.IsNullOrWhiteSpace(WebhookSecret) || !string.IsNullOrWhiteSpace(FromEmail) || RoutingKeys.Count > 0;

    /// <summary>
    /// What is wrong with these settings, by environment variable name; empty when PagerDuty is unused or valid.
    /// <paramref name="receivesWebhooks"/>: whether this process takes PagerDuty's V3 webhooks (the host decides: Slack
    /// over HTTP, whose public URL PagerDuty calls too). Only then is the webhook secret required; without one, every
    /// delivery is refused (401) and the incidents are kept in step by the reconciler's polling alone.
    /// </summary>
    public IReadOnlyList<string> Problems(bool receivesWebhooks = true)
    {
        var problems = new List<string>();
        if (!IsUsed) return problems;
        if (string.IsNullOrWhiteSpace(ApiToken)) problems.Add("PagerDuty__ApiToken is required when PagerDuty is configured (a REST API v2 key).");
        if (receivesWebhooks && string.IsNullOrWhiteSpace(WebhookSecret))
            problems.Add("PagerDuty__WebhookSecret is required when PagerDuty is configured and Slack reaches the bot over HTTP (the V3 webhook subscription's secret; " +
                "PagerDuty posts to the same public URL). In Socket Mode alone (Slack__AppToken without Slack__SigningSecret) it may be left out: webhooks are then refused.");
        if (string.IsNullOrWhiteSpace(FromEmail)) problems.Add("PagerDuty__FromEmail is required when PagerDuty is configured (the bot's own PagerDuty user e-mail).");
        else if (!IsEmail(FromEmail)) problems.Add($"PagerDuty__FromEmail must be an e-mail address, not '{FromEmail}'.");
        if (!IsHttpUrl(ApiBaseUrl)) problems.Add("PagerDuty__ApiBaseUrl must be an absolute http(s) URL such as https://api.pagerduty.com/.");
        if (!IsHttpUrl(EventsBaseUrl)) problems.Add("PagerDuty__EventsBaseUrl must be an absolute http(s) URL such as https://events.pagerduty.com/.");
        if (Scope.IsEmpty)
            problems.Add("PagerDuty__ServiceIds__0 or PagerDuty__TeamIds__0 is required when PagerDuty is configured: the SecureBase services (or teams) whose " +
                "incidents the bot follows, so other teams' incidents in the same account never get a thread, a reconciler pass or an escalation.");
        foreach (var (service, key) in RoutingKeys)
        {
            if (string.IsNullOrWhiteSpace(key)) problems.Add($"PagerDuty__RoutingKeys__{service} is empty.");
        }
        if (Retry.MaxRetries is < 0 or > 10) problems.Add("PagerDuty__Retry__MaxRetries must be between 0 and 10.");
        if (RateLimit.PerMinute < 1 || RateLimit.Burst < 1) problems.Add("PagerDuty__RateLimit__PerMinute and __Burst must be at least 1.");
        return problems;
    }

    /// <summary>The incidents the bot follows, from <see cref="ServiceIds"/> and <see cref="TeamIds"/>.</summary>
    public PagerDutyScope Scope => new(ServiceIds, TeamIds);

    /// <summary>A base URL as an absolute address that keeps its path and ends with <c>/</c>.</summary>
    public static Uri BaseAddress(string? configured, string fallback)
    {
        var text = string.IsNullOrWhiteSpace(configured) ? fallback : configured.Trim();
        if (!text.EndsWith('/')) text += "/";
        return new Uri(text, UriKind.Absolute);
    }

    private static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static bool IsEmail(string text) =>
        MailAddress.TryCreate(text.Trim(), out var address) && address.Address == text.Trim();
}
