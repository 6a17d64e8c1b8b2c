using Bot.Workflows.Ports;

namespace Bot.Workflows.Changes;

/// <summary>
/// Which pager incidents are SecureBase's (and so can justify a break-glass change): the incidents the bot follows, those on
/// one of the services <c>PagerDuty__ServiceIds__N</c> (when listed) and of one of the teams <c>PagerDuty__TeamIds__N</c> (when
/// listed); with neither configured, those whose service is named <c>securebase…</c>. The bot's own pages carry who asked for
/// them in their key.
/// </summary>
public sealed class SecureBaseIncidents(IReadOnlyCollection<string> serviceIds, IReadOnlyCollection<string> teamIds)
{
    /// <summary>The key prefix of the incidents <c>/sb page</c> opens: <c>securebase-bot/page/&lt;Slack user&gt;/&lt;request&gt;</c>.</summary>
    public const string PageKeyPrefix = "securebase-bot/page/";

    public static readonly SecureBaseIncidents ByServiceName = new([], []);

    public static string PageKey(string userId, string requestId) => $"{PageKeyPrefix}{userId}/{requestId}";

    /// <summary>The Slack user who asked the bot to open this incident with <c>/sb page</c>, or null when the bot did not open it.</summary>
    public static string? PagedBy(PagerIncident incident) =>
        incident.IncidentKey is { } key && key.StartsWith(PageKeyPrefix, StringComparison.Ordinal) && key[PageKeyPrefix.Length..].Split('/') is [{ Length: > 0 } user, ..] ? user : null;

    public bool Covers(PagerIncident incident)
    {
        if (serviceIds.Count == 0 && teamIds.Count == 0)
            return incident.Service?.Contains("securebase", StringComparison.OrdinalIgnoreCase) == true;
        var onService = serviceIds.Count == 0 || (incident.ServiceId is { } service && serviceIds.Contains(service));
        var ofTeam = teamIds.Count == 0 || incident.TeamIds.Any(teamIds.Contains);
        return onService && ofTeam;
    }

    /// <summary>How the rule reads in a refusal.</summary>
    public string Rule => serviceIds.Count == 0 && teamIds.Count == 0
        ? "a service named securebase… (PagerDuty__ServiceIds__N names them exactly)"
        : "one of the SecureBase services and teams the bot follows (PagerDuty__ServiceIds__N, PagerDuty__TeamIds__N)";
}
