using Bot.Integrations.Aws;
using Bot.Commands.Routing;
using Microsoft.Extensions.Logging;
using Bot.Workflows.Messages;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Commands.Cloud.Health;

/// <summary><c>/sb health [env]</c>: the daily health check on demand.</summary>
public sealed class HealthCommand(IHealthReporter reporter, ILogger<HealthCommand> logger) : ICommandHandler
{
    public CommandSpec Spec { get; } = new()
    {
        Verb = "health",
        Summary = "Health of an environment: tables, functions, error logs, alarms, throttling, API 5xx.",
        Usage = "/sb health [env]",
        MaxPositionals = 1,
        Examples = ["/sb health", "/sb health staging"],
    };

    public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var report = await reporter.RunAsync(context.Arguments.EnvironmentName(), cancellationToken);
        if (SharedCredentialFailure(report) is { } credentials) throw credentials;
        var message = HealthMessages.Build(report);
        await context.RespondAsync(message.Main, cancellationToken);
        await ThreadFollowUp.PostAsync(context.Reply,
            ChatMessage.InChannel(Line.Of(Emoji("thread"), " Details for ", Code($"/sb health {report.Environment}"), " (asked by ", context.User.Mention, ")")),
            message.ThreadDetails, [], logger, cancellationToken);
    }

    /// <summary>When every area failed for the same credential problem, one clear message beats seven ❌ lines.</summary>
    internal static UserFacingException? SharedCredentialFailure(HealthReport report)
    {
        if (report.Results.Count == 0 || report.Results.Any(r => r.Status != ProbeStatus.Failed || r.Error is null)) return null;
        var kinds = report.Results.Select(r => r.Error switch
        {
            AwsCredentialsUnavailableException => "none",
            AwsServiceException { Kind: AwsErrorKind.ExpiredCredentials } => "expired",
            AwsServiceException { Kind: AwsErrorKind.InvalidCredentials } => "invalid",
            AwsServiceException { Kind: AwsErrorKind.AccessDenied } => "denied",
            _ => null,
        }).Distinct().ToList();
        return kinds is [{ } _] ? AwsFailures.ToUserFacing(report.Results[0].Error!, $"checking {report.Environment} health") : null;
    }
}
