using Bot.Workflows.Messages;

namespace Bot.Commands.Cloud.Health;

/// <summary>
/// A part of the daily report besides the health check (the security checks, …): what it has to say about an environment
/// today, as messages for the report's thread, or nothing when all is well. A section that fails is logged and left out;
/// the report still posts.
/// </summary>
public interface IDailyReportSection
{
    /// <summary>The section's name, for the log.</summary>
    string Name { get; }

    Task<IReadOnlyList<ChatMessage>> WhenNotCleanAsync(string environment, CancellationToken cancellationToken);
}
