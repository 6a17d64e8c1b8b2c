using System.Collections.Concurrent;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;

namespace Bot.Tests.Workflows;

/// <summary>
/// A directory for engine tests: roles per user id, set by the test, and a switch that makes it unreachable. (The
/// real one, <c>RoleDirectory</c>, is tested against the Slack API fake.)
/// </summary>
public sealed class TestDirectory : IDirectory
{
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _roles = new(StringComparer.Ordinal);

    public bool Unavailable { get; set; }

    public TestDirectory Grant(string userId, params string[] roles)
    {
        _roles[userId] = roles.ToHashSet(StringComparer.Ordinal);
        return this;
    }

    public Task<IReadOnlySet<string>> RolesOfAsync(WorkflowActor person, CancellationToken cancellationToken)
    {
        if (Unavailable) throw new DirectoryUnavailableException("the directory is down in this test");
        return Task.FromResult(_roles.TryGetValue(person.UserId, out var roles) ? roles : new HashSet<string>());
    }
}
