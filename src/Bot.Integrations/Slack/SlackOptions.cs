using Bot.Integrations.Http;

namespace Bot.Integrations.Slack;

/// <summary>
/// Slack settings, bound from the <c>Slack</c> section (environment: <c>Slack__SigningSecret</c> …).
/// The secrets are never logged or echoed.
/// </summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";
    public const string DefaultApiBaseUrl = "https://slack.com/api/";

    /// <summary>Verifies that HTTP requests come from Slack (app settings → Basic Information).</summary>
    public string? SigningSecret { get; set; }

    /// <summary>The <c>xoxb-</c> bot token for the Web API.</summary>
    public string? BotToken { get; set; }

    /// <summary>The <c>xapp-</c> app-level token for Socket Mode (optional).</summary>
    public string? AppToken { get; set; }

    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>The <c>#securebase-ops</c> channel id, where the bot posts on its own.</summary>
    public string? OpsChannelId { get; set; }

    /// <summary>
    /// Where read-only commands may run (<c>Slack__ReadOnlyCommands</c>): <c>anywhere</c> the bot is invited
    /// (default, DMs included), <c>ops-channel</c>, or channel ids separated by commas or spaces (the ops channel
    /// is always allowed). Commands that change something run only in <see cref="OpsChannelId"/> whatever this says.
    /// </summary>
    public string ReadOnlyCommands { get; set; } = Anywhere;

    /// <summary>The <see cref="ReadOnlyCommands"/> value that lets read-only commands run in any channel the bot is in.</summary>
    public const string Anywhere = "anywhere";

    /// <summary>When set, requests from any other workspace are refused.</summary>
    public string? TeamId { get; set; }

    /// <summary>How the Web API client retries; defaults suit production.</summary>
    public HttpRetryOptions Retry { get; set; } = new();

    /// <summary>
    /// True unless Slack reaches the bot over Socket Mode alone (an app token and no signing secret): over HTTP the bot
    /// has a public URL, where PagerDuty's webhooks arrive too.
    /// </summary>
    public bool ReceivesHttp => !string.IsNullOrWhiteSpace(SigningSecret) || string.IsNullOrWhiteSpace(AppToken);

    /// <summary>The variables server mode cannot run without, by their environment names.</summary>
    public IReadOnlyList<string> MissingForServer()
    {
        var missing = new List<string>();
        // Socket Mode (an app token) needs no signing secret: requests arrive over the app's own WebSocket.
        if (string.IsNullOrWhiteSpace(SigningSecret) && string.IsNullOrWhiteSpace(AppToken)) missing.Add("Slack__SigningSecret");
        if (string.IsNullOrWhiteSpace(BotToken)) missing.Add("Slack__BotToken");
        return missing;
    }
}
