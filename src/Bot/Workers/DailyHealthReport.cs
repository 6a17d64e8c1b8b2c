using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Commands.Cloud.Health;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using Microsoft.Extensions.Options;

namespace Bot.Workers;

/// <summary>
/// Posts the health report of one environment to the ops channel on a Cronos schedule (default
/// 09:00 on weekdays in the configured time zone), through the transport's <see cref="IChannelPoster"/>, with the other
/// sections (<see cref="IDailyReportSection"/>: the security checks, …) in its thread when they are not clean.
/// Without <c>Slack:OpsChannelId</c> (or a transport that can post) it logs that it is skipped and idles.
/// </summary>
public sealed class DailyHealthReport(
    IHealthReporter reporter,
    IServiceProvider services,
    IOptions<DailyHealthReportOptions> options,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<DailyHealthReport> logger) : BackgroundService
{
    /// <summary>When the next report is due (set once its timer is running); null while not scheduled.</summary>
    public DateTimeOffset? NextRun { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var channel = configuration["Slack:OpsChannelId"];
        var chat = services.GetService<IChannelPoster>();
        if (!o.Enabled)
        {
            logger.LogInformation("Daily health report is disabled (Reports:DailyHealth:Enabled=false)");
            return;
        }
        if (string.IsNullOrWhiteSpace(channel) || chat is null)
        {
            logger.LogInformation("Daily health report skipped: {Reason}", string.IsNullOrWhiteSpace(channel) ? "Slack:OpsChannelId is not set" : "no chat transport is registered");
            return;
        }

        var cron = o.ParsedCron();
        var zone = o.ParsedTimeZone();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = cron.GetNextOccurrence(now, zone);
            if (next is null) return;
            logger.LogInformation("Next daily health report at {Next:u}", next.Value);
            try
            {
                var wait = Task.Delay(next.Value - now, time, stoppingToken);
                NextRun = next.Value;
                await wait;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await PostOnceAsync(chat, channel, o.Environment, stoppingToken);
        }
    }

    /// <summary>Runs the check and posts it (details threaded under it). Failures are logged, never thrown.</summary>
    public async Task PostOnceAsync(IChannelPoster chat, string channel, string environment, CancellationToken cancellationToken)
    {
        try
        {
            var report = await reporter.RunAsync(environment, cancellationToken);
            var message = HealthMessages.Build(report);
            var posted = await chat.PostAsync(channel, message.Main with { Text = Line.Of("Daily health report: ", message.Main.Text) }, null, cancellationToken);
            foreach (var detail in message.ThreadDetails)
                await chat.PostAsync(channel, detail, posted.Ts, cancellationToken);
            logger.LogInformation("Daily health report for {Environment} posted: {Summary}", environment, HealthMessages.SummaryLine(report));
            await PostSectionsAsync(chat, channel, environment, posted.Ts, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Daily health report for {Environment} could not be posted", environment);
        }
    }

    /// <summary>The report's other sections (<see cref="IDailyReportSection"/>) in its thread when they have something to say; one that fails is logged and skipped.</summary>
    private async Task PostSectionsAsync(IChannelPoster chat, string channel, string environment, string threadTs, CancellationToken cancellationToken)
    {
        foreach (var section in services.GetServices<IDailyReportSection>())
        {
            try
            {
                foreach (var message in await section.WhenNotCleanAsync(environment, cancellationToken))
                    await chat.PostAsync(channel, message, threadTs, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "The daily report's {Section} for {Environment} could not be posted", section.Name, environment);
            }
        }
    }
}
