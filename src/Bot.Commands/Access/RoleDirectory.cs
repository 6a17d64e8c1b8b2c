using System.Collections.Concurrent;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Access;

/// <summary>
/// The domain's <see cref="IDirectory"/> from <see cref="RbacOptions"/>: a person holds a role when their user id is
/// listed for it or they belong to one of its user groups (asked through <see cref="IUserGroups"/>, remembered for
/// <see cref="RbacOptions.GroupCacheFor"/>). When a group cannot be read and the answer depends on it, it fails closed
/// with <see cref="DirectoryUnavailableException"/> rather than guessing.
/// </summary>
public sealed class RoleDirectory(IOptionsMonitor<RbacOptions> options, IUserGroups groups, TimeProvider time, ILogger<RoleDirectory> logger) : IDirectory
{
    private sealed record CachedGroup(IReadOnlySet<string> Members, DateTimeOffset Until);

    private readonly ConcurrentDictionary<string, CachedGroup> _groups = new(StringComparer.Ordinal);

    public async Task<IReadOnlySet<string>> RolesOfAsync(WorkflowActor person, CancellationToken cancellationToken)
    {
        var roles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (role, members) in options.CurrentValue.Roles)
        {
            if (members.Users.Contains(person.UserId, StringComparer.Ordinal))
            {
                roles.Add(role);
                continue;
            }
            foreach (var group in members.Groups)
            {
                if ((await MembersAsync(group, cancellationToken)).Contains(person.UserId))
                {
                    roles.Add(role);
                    break;
                }
            }
        }
        return roles;
    }

    private async Task<IReadOnlySet<string>> MembersAsync(string group, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_groups.TryGetValue(group, out var cached) && cached.Until > now) return cached.Members;
        try
        {
            var members = (await groups.MembersAsync(group, cancellationToken)).ToHashSet(StringComparer.Ordinal);
            _groups[group] = new CachedGroup(members, now + options.CurrentValue.GroupCacheFor);
            return members;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Members of user group {Group} could not be read", group);
            throw new DirectoryUnavailableException($"the members of user group {group} could not be read from Slack", e);
        }
    }
}
