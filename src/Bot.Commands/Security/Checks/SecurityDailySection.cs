using Bot.Commands.Cloud;
using Bot.Commands.Cloud.Health;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Security.Checks;

/// <summary>The procedures' daily security checks in the daily report: the last day's, in the report's thread when they are not clean.</summary>
public sealed class SecurityDailySection(SecurityChecks checks, IOptions<SecureBaseOptions> secureBase) : IDailyReportSection
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public string Name => "security checks";

    public async Task<IReadOnlyList<ChatMessage>> WhenNotCleanAsync(string environment, CancellationToken cancellationToken)
    {
        var report = await checks.RunAsync(secureBase.Value.Get(environment), Window, cancellationToken);
        return report.Clean ? [] : [SecurityCheckMessages.Build(report)];
    }
}
