using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

/// <summary>Server mode needs the signing secret and the bot token; this says which are missing and what else to do.</summary>
public sealed class SlackServerOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        var problems = new List<string>();
        var missing = options.MissingForServer();
        if (missing.Count > 0)
        {
            problems.Add($"Slack is not configured: set {string.Join(" and ", missing)} (environment variables, or the Slack section of appsettings.json). " +
                "To try the bot without Slack, run `dotnet run --project src/Bot -- shell`; it needs no credentials.");
        }
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("https" or "http"))
            problems.Add("Slack__ApiBaseUrl must be an absolute http(s) URL, e.g. https://slack.com/api/.");
        if (!SlackChannelPolicy.IsValidSetting(options.ReadOnlyCommands))
            problems.Add($"Slack__ReadOnlyCommands must be `{SlackChannelPolicy.Anywhere}`, `{SlackChannelPolicy.OpsChannelOnly}` or channel ids separated by commas (e.g. C0123ABCD,C0456EFGH).");
        if (!string.IsNullOrWhiteSpace(options.OpsChannelId) && !SlackChannelPolicy.IsChannelId(options.OpsChannelId.Trim()))
            problems.Add("Slack__OpsChannelId must be a channel id such as C0123ABCD (channel details → About), not a name.");
        if (options.Retry.MaxRetries is < 0 or > 10)
            problems.Add("Slack__Retry__MaxRetries must be between 0 and 10.");
        if (options.Retry.AttemptTimeout < TimeSpan.FromMilliseconds(100) || options.Retry.AttemptTimeout > TimeSpan.FromSeconds(60))
            problems.Add("Slack__Retry__AttemptTimeout must be between 00:00:00.1 and 00:01:00.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
