using Bot.Commands.Cloud;
using Bot.Commands.Cloud.Health;
using Bot.Commands.Routing;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;

namespace Bot.Commands.Recovery;

/// <summary>
/// <c>/sb backups [env]</c>: point-in-time recovery, on-demand backups and TTL of every table, and the reports bucket's
/// versioning and lifecycle, each against the ops guide. It is also part of the daily report when it is not green.
/// </summary>
public sealed class BackupsCommand(BackupsReporter reporter, IOptions<SecureBaseOptions> options) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "backups",
        Summary = "Backups and recovery against the ops guide: PITR windows, on-demand backups, TTL, the reports bucket's versioning and lifecycle.",
        Usage = "/sb backups [env]",
        MaxPositionals = 1,
        Examples = ["/sb backups", "/sb backups staging"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var env = context.Arguments.Environment(options.Value);
        await context.RespondAsync(BackupsMessages.Build(await reporter.RunAsync(env, cancellationToken)), cancellationToken);
    }
}

/// <summary>The backups check in the daily report: threaded under it when not green, left out when green.</summary>
public sealed class BackupsDailySection(BackupsReporter reporter, IOptions<SecureBaseOptions> options) : IDailyReportSection
{
    public string Name => "backups and recovery";

    public async Task<IReadOnlyList<ChatMessage>> WhenNotCleanAsync(string environment, CancellationToken cancellationToken)
    {
        var report = await reporter.RunAsync(options.Value.Get(environment), cancellationToken);
        return report.Green ? [] : [BackupsMessages.Build(report)];
    }
}
