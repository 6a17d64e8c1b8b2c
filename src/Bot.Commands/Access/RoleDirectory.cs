using Bot.Integrations.Slack;
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
/// with <see cref="DirectoryUnavailableException"/> rather than guessing. E-mail addresses come from the Slack profile
/// (<see cref="IUserProfiles"/>, remembered for <see cref="EmailCacheFor"/>); a shell identity has the address
/// <c>name@</c><see cref="RbacOptions.ShellEmailDomain"/> when that is set (the shell sets the sandbox's), else none.
/// </summary>
public sealed class RoleDirectory(IOptionsMonitor<RbacOptions> options, IUserGroups groups, TimeProvider time, ILogger<RoleDirectory> logger,
    IUserProfiles? profiles = null) : IDirectory
{
    public static readonly TimeSpan EmailCacheFor = TimeSpan.FromMinutes(10);

    private sealed record CachedGroup(IReadOnlySet<string> Members, DateTimeOffset Until);
    private sealed record CachedEmail(string? Email, DateTimeOffset Until);

    private readonly ConcurrentDictionary<string, CachedGroup> _groups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CachedEmail> _emails = new(StringComparer.Ordinal);

    public async Task<string?> EmailOfAsync(WorkflowActor person, CancellationToken cancellationToken)
    {
        if (person.Kind == ActorKind.ShellUser)
            return options.CurrentValue.ShellEmailDomain is { Length: > 0 } domain ? $"{person.UserName.ToLowerInvariant()}@{domain}" : null;
        if (!person.IsPerson || profiles is null) return null;
        var now = time.GetUtcNow();
        if (_emails.TryGetValue(person.UserId, out var cached) && cached.Until > now) return cached.Email;
        try
        {
            var email = await profiles.EmailOfAsync(person.UserId, cancellationToken);
            _emails[person.UserId] = new CachedEmail(email, now + EmailCacheFor);
            return email;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "The profile of {User} could not be read", person.UserId);
            throw new DirectoryUnavailableException($"the Slack profile of {person.UserId} could not be read", e);
        }
    }

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
