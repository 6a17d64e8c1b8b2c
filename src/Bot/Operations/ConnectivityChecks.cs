using System.Diagnostics;
using Bot.Integrations.Aws.CloudWatch;
using Bot.Integrations.PagerDuty;
using Bot.Commands.Routing;
using Bot.Commands.Status;
using Bot.Integrations.Slack;
using Bot.Slack;
using Bot.Integrations.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace Bot.Operations;

/// <summary>
/// Asks Slack (<c>auth.test</c>), PagerDuty (the escalation policy, or the bot's own user) and AWS (CloudWatch
/// <c>DescribeAlarms</c>, one record) whether they answer, all at once, each within <see cref="Timeout"/>.
/// </summary>
public sealed class ConnectivityChecks(IServiceProvider services, IOptions<SlackOptions> slack, IOptionsMonitor<PagerDutyOptions> pagerDuty)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(4);

    public async Task<IReadOnlyList<Connectivity>> RunAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(SlackAsync(cancellationToken), PagerDutyAsync(cancellationToken), AwsAsync(cancellationToken));

    private Task<Connectivity> SlackAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(slack.Value.BotToken)) return Task.FromResult(Connectivity.NotConfigured("Slack", "not configured (Slack__BotToken)"));
        return Probe("Slack", async ct =>
        {
            var me = await services.GetRequiredService<SlackWebApiClient>().AuthTestAsync(ct);
            return $"workspace {me.Team ?? me.TeamId ?? "?"}";
        }, cancellationToken);
    }

    private Task<Connectivity> PagerDutyAsync(CancellationToken cancellationToken)
    {
        var options = pagerDuty.CurrentValue;
        if (!options.IsConfigured) return Task.FromResult(Connectivity.NotConfigured("PagerDuty", "not configured (PagerDuty__ApiToken)"));
        return Probe("PagerDuty", async ct =>
        {
            var client = services.GetRequiredService<PagerDutyClient>();
            if (!string.IsNullOrWhiteSpace(options.EscalationPolicyId))
                return $"escalation policy {(await client.GetEscalationPolicyAsync(options.EscalationPolicyId, ct)).Name}";
            return await client.FindUserByEmailAsync(options.FromEmail ?? "", ct) is { } user ? $"bot user {user.Name}" : "answers (bot user not found)";
        }, cancellationToken);
    }

    private Task<Connectivity> AwsAsync(CancellationToken cancellationToken) =>
        Probe("AWS", async ct =>
        {
            await services.GetRequiredService<ICloudWatchClient>().DescribeAlarmsAsync(new DescribeAlarmsRequest { MaxRecords = 1 }, ct);
            return "CloudWatch answers";
        }, cancellationToken);

    private static async Task<Connectivity> Probe(string service, Func<CancellationToken, Task<string>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var detail = await call(timeout.Token);
            return new Connectivity(service, true, detail, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Connectivity(service, false, $"no answer within {Timeout.TotalSeconds:0} s", Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new Connectivity(service, false, Describe(e), Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>The error's kind and code: exception messages can quote what was sent, so only these are shown.</summary>
    private static string Describe(Exception e) => e switch
    {
        SlackApiException slack => $"Slack error {slack.ErrorCode}",
        Integrations.Aws.AwsServiceException aws => $"{aws.Service} {aws.Code}",
        Integrations.Aws.AwsTimeoutException => "timed out",
        Integrations.Aws.AwsUnreachableException => "unreachable",
        PagerDutyApiException pd => $"PagerDuty {pd.Kind}{(pd.HttpStatus is { } status ? $" (HTTP {status})" : "")}",
        Commands.Routing.UserFacingException user => user.Message,
        Integrations.IntegrationException outside => outside.Message,
        _ => e.GetType().Name,
    };
}
