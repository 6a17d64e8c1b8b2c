using Bot.Workflows.Engine;

namespace Bot.Workflows.Ports;

/// <summary>
/// Who people are and which roles they hold, asked at the moment of a decision (Slack implements it from the
/// configured role members and user groups). When it cannot tell, it throws <see cref="DirectoryUnavailableException"/>
/// and the engine refuses: roles fail closed.
/// </summary>
public interface IDirectory
{
    /// <summary>The roles (<see cref="Roles.Role"/>) <paramref name="person"/> holds right now.</summary>
    Task<IReadOnlySet<string>> RolesOfAsync(WorkflowActor person, CancellationToken cancellationToken);
}

/// <summary>The directory could not be asked (e.g. Slack's user groups API is down): nobody gets a role from it until it can.</summary>
public sealed class DirectoryUnavailableException(string message, Exception? inner = null)
    : PortException("DirectoryUnavailable", message, transient: true, inner);
