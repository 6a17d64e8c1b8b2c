using Bot.Workflows.Messages;

namespace Bot.Commands.Reports;

/// <summary>
/// A part of the daily report beyond the health check (e.g. backups and recovery): asked each morning for the report's
/// environment, it answers a message to thread under the report, or null when it is green and has nothing to say.
/// </summary>
public interface IDailyReportSection
{
    Task<ChatMessage?> BuildAsync(string environment, CancellationToken cancellationToken);
}
