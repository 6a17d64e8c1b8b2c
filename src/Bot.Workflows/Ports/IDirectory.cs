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

    /// <summary>
    /// The e-mail address of <paramref name="person"/>'s chat profile (Slack: <c>users.info</c>, which needs the
    /// <c>users:read.email</c> scope), or null when they have none. Other systems (the pager) find the same person by it.
    /// </summary>
    Task<string?> EmailOfAsync(WorkflowActor person, CancellationToken cancellationToken);
}

/// <summary>The directory could not be asked (e.g. Slack's user groups API is down): nobody gets a role from it until it can.</summary>
public sealed class DirectoryUnavailableException(string message, Exception? inner = null)
    : PortException("DirectoryUnavailable", message, transient: true, inner);
