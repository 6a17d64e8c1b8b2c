using Bot.Commands.Cloud;
using Bot.Commands.Recovery;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Workflows.Changes;
using Bot.Workflows.Messages;
using Microsoft.Extensions.Options;

namespace Bot.Workers;

/// <summary>
/// Runs the procedures' quarterly DR test on its schedule (<see cref="DrDrillScheduleOptions"/>, off by default), as the
/// bot: outside production the drill starts at once; in production it is requested as a change that a person approves.
/// What it says goes to the ops channel. Without <c>Slack:OpsChannelId</c> (or a transport that can post) it idles.
/// </summary>
public sealed class DrDrillSchedule(
    IServiceProvider services,
    IOptions<DrDrillScheduleOptions> options,
    IOptions<SecureBaseOptions> secureBase,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<DrDrillSchedule> logger) : BackgroundService
{
    public static readonly Actor Bot = new("securebase-bot", "securebase-bot");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var channel = configuration["Slack:OpsChannelId"];
        var chat = services.GetService<IChannelPoster>();
        if (!o.Enabled)
        {
            logger.LogInformation("Scheduled DR drill is off (Reports:DrDrill:Cron is not set)");
            return;
        }
        if (string.IsNullOrWhiteSpace(channel) || chat is null)
        {
            logger.LogInformation("Scheduled DR drill skipped: {Reason}", string.IsNullOrWhiteSpace(channel) ? "Slack:OpsChannelId is not set" : "no chat transport is registered");
            return;
        }
        var cron = o.ParsedCron();
        var zone = o.ParsedTimeZone();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (cron.GetNextOccurrence(now, zone) is not { } next) return;
            logger.LogInformation("Next scheduled DR drill at {Next:u}", next);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await RunOnceAsync(chat, channel, stoppingToken);
        }
    }

    /// <summary>Plans and starts one drill; a refusal or failure is said in the channel and logged, never thrown.</summary>
    public async Task RunOnceAsync(IChannelPoster chat, string channel, CancellationToken cancellationToken)
    {
        var reply = new ChannelReply(chat, channel);
        try
        {
            var starter = services.GetRequiredService<DrillStarter>();
            var plan = await starter.PlanAsync(secureBase.Value, options.Value.Environment, options.Value.Tables, cancellationToken);
            await starter.StartAsync(Bot, $"dr-drill-schedule:{time.GetUtcNow():yyyyMMddHHmm}", reply, plan,
                new ChangeData { Reason = "the quarterly DR test (Reports__DrDrill__Cron)" }, cancellationToken);
            logger.LogInformation("Scheduled DR drill of {Environment} started ({Tables} tables)", plan.Environment, plan.Tables.Count);
        }
        catch (UserFacingException e)
        {
            await reply.RespondAsync(ChatMessage.InChannel(Line.Of("Scheduled DR drill: ", e.Text)), cancellationToken);
            logger.LogWarning("Scheduled DR drill of {Environment} was not started: {Reason}", options.Value.Environment, e.Text.ToPlainText());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Scheduled DR drill of {Environment} failed", options.Value.Environment);
        }
    }
}
