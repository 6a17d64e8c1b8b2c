using Bot.Workflows.Ports;

namespace Bot.Integrations.Slack;

/// <summary>Where no Slack Web API is configured, user groups cannot be read: a role granted only through one fails closed.</summary>
public sealed class NoUserGroups : IUserGroups
{
    public Task<IReadOnlyList<string>> MembersAsync(string groupId, CancellationToken cancellationToken) =>
        throw new DirectoryUnavailableException($"user group {groupId} needs the Slack Web API, which this bot has not configured");
}
