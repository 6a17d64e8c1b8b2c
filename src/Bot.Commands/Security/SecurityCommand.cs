using Bot.Commands.Cloud;
using Bot.Commands.Routing;
using Bot.Commands.Security.Checks;
using Bot.Commands.Security.Feed;
using Bot.Commands.Security.Logins;
using Bot.Integrations.Charts;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Security;

/// <summary>
/// <c>/sb security logins [--since 24h] [--env prod]</c>: failed logins from the activity feed with the hourly chart against
/// the week before, the bursts and their class, and <i>Page</i> above <c>Security__FailedLogins__PageAbove</c>.
/// <c>/sb security checks [--since 24h] [--env prod]</c>: the procedures' daily checks (UNAUTHORIZED lines, CloudTrail errors).
/// </summary>
public sealed class SecurityCommand(
    FailedLogins logins,
    SecurityChecks checks,
    IOptions<SecureBaseOptions> secureBase,
    IOptions<SecurityOptions> security,
    ILogger<SecurityCommand> logger) : ICommandHandler
{
    public static readonly TimeSpan DefaultSince = TimeSpan.FromHours(24);
    /// <summary>The feed keeps 45 days; the window and the week before it must fit.</summary>
    public static readonly TimeSpan MaxLoginWindow = TimeSpan.FromDays(30);

    public CommandSpec Spec { get; } = new()
    {
        Verb = "security",
        Summary = "Security operations: failed logins from the activity feed (logins), or the daily security checks (checks).",
        Usage = "/sb security logins|checks [--since 24h] [--env prod]",
        MaxPositionals = 1,
        Flags =
        [
            new FlagSpec("since", "How far back: e.g. 6h, 24h, 7d (default 24h; logins at most 30d).", ValueHint: "24h"),
            new FlagSpec("env", "Environment: prod (default), staging or dev.", ValueHint: "prod"),
        ],
        Examples = ["/sb security logins", "/sb security logins --since 7d --env staging", "/sb security checks"],
        Roles = security.Value.Viewers,
        RolesNeededTo = "see the security views",
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var args = context.Arguments;
        var env = secureBase.Value.Get(args.Flag("env"));
        var since = DurationParser.Parse(args.Flag("since"), DefaultSince);
        switch (args.Positional(0)?.ToLowerInvariant())
        {
            case "logins" or "login" or "failed-logins":
                if (since > MaxLoginWindow) throw new UsageException(Line.Of(Code("--since"), " reaches back at most 30 days for logins (the feed keeps 45, and the week before is read too)."));
                await LoginsAsync(context, env, since, cancellationToken);
                break;
            case "checks" or "check":
                var report = await checks.RunAsync(env, since, cancellationToken);
                await context.RespondAsync(SecurityCheckMessages.Build(report), cancellationToken);
                break;
            case null:
                throw new UsageException(Line.Of("Which view? ", Code("/sb security logins"), " or ", Code("/sb security checks"), "."));
            case var other:
                throw new UsageException(Line.Of(Value(other, 30), " is not a security view; use ", Code("logins"), " or ", Code("checks"), "."));
        }
    }

    private async Task LoginsAsync(CommandContext context, SecureBaseEnvironment env, TimeSpan since, CancellationToken cancellationToken)
    {
        var table = FailedLogins.FeedTable(env);
        var progress = new ReadProgress(context.Reply, Line.Of("Scanning ", Code(table), " for failed logins (it has no index on ", Code("action"), ")"), logger);
        var (report, read) = await AwsFailures.Guard(Line.Of("reading the failed logins in ", Code(table)),
            () => logins.ReadAsync(env, since, progress.ReportAsync, cancellationToken));
        await progress.DoneAsync(read);
        var window = DurationParser.Format(since);
        await context.RespondAsync(FailedLoginMessages.Build(env.Name, window, report, read, security.Value.FailedLogins), cancellationToken);
        if (report.Hours.Count == 0) return;

        byte[]? chart = null;
        try
        {
            chart = ChartRenderer.Comparison($"Failed logins per hour, {env.Name}, last {window}", "failed logins", report.Hours,
                new ChartSeries("this period", report.Hours, report.Hourly.Select(v => (double)v).ToList()),
                new ChartSeries("same hours a week earlier", report.Hours, report.PreviousWeekHourly.Select(v => (double)v).ToList()),
                report.Spikes, "spike");
        }
        catch (ChartUnavailableException e)
        {
            logger.LogWarning(e, "Failed-login chart could not be drawn");
        }
        if (chart is not null)
            await ThreadFollowUp.PostAsync(context.Reply,
                ChatMessage.InChannel(Line.Of(Emoji("chart_with_upwards_trend"), $" Failed logins per hour, {env.Name}, last {window} (asked by ", context.User.Mention, ")")),
                [], [new ChatFile($"failed-logins-{env.Name}.png", $"Failed logins per hour, {env.Name}, last {window}", chart)], logger, cancellationToken);
    }
}
