using Bot.Testing;
using System.Collections.Concurrent;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;

namespace Bot.Testing.Workflows;

/// <summary>
/// A directory for engine tests: roles per user id, set by the test, and a switch that makes it unreachable. (The
/// real one, <c>RoleDirectory</c>, is tested against the Slack API fake.)
/// </summary>
public sealed class TestDirectory : IDirectory
{
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _roles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _emails = new(StringComparer.Ordinal);

    public bool Unavailable { get; set; }

    public TestDirectory Grant(string userId, params string[] roles)
    {
        _roles[userId] = roles.ToHashSet(StringComparer.Ordinal);
        return this;
    }

    /// <summary>Gives <paramref name="userId"/> an e-mail address on their profile.</summary>
    public TestDirectory Email(string userId, string email)
    {
        _emails[userId] = email;
        return this;
    }

    public Task<string?> EmailOfAsync(WorkflowActor person, CancellationToken cancellationToken)
    {
        if (Unavailable) throw new DirectoryUnavailableException("the directory is down in this test");
        return Task.FromResult(_emails.TryGetValue(person.UserId, out var email) ? email : null);
    }

    public Task<IReadOnlySet<string>> RolesOfAsync(WorkflowActor person, CancellationToken cancellationToken)
    {
        if (Unavailable) throw new DirectoryUnavailableException("the directory is down in this test");
        return Task.FromResult(_roles.TryGetValue(person.UserId, out var roles) ? roles : new HashSet<string>());
    }
}
