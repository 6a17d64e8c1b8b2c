namespace Bot.Integrations.Slack;

/// <summary>Members of a user group (Slack: <c>usergroups.users.list</c>). Throws when it cannot be asked.</summary>
public interface IUserGroups
{
    Task<IReadOnlyList<string>> MembersAsync(string groupId, CancellationToken cancellationToken);
}
