using Bot.Integrations.Slack.WebApi;

namespace Bot.Integrations.Slack;

/// <summary>User group members from Slack's <c>usergroups.users.list</c> (scope <c>usergroups:read</c>).</summary>
public sealed class SlackUserGroups(SlackWebApiClient slack) : IUserGroups
{
    public Task<IReadOnlyList<string>> MembersAsync(string groupId, CancellationToken cancellationToken) =>
        slack.UserGroupMembersAsync(groupId, cancellationToken);
}
