using Bot.Workflows.Outbox;
using Bot.Workflows.Ports;

namespace Bot.Workers;

/// <summary>
/// Runs the outbox sender for the life of the host. It needs an <see cref="IChat"/> (Slack's, or the
/// shell's printer); without one it says so once and leaves the messages queued.
/// </summary>
internal sealed class OutboxSenderService(IServiceProvider services, ILogger<OutboxSenderService> logger)
    : PumpService(stoppingToken => RunAsync(services, logger, stoppingToken))
{
    private static Task RunAsync(IServiceProvider services, ILogger logger, CancellationToken stoppingToken)
    {
        if (services.GetService<IChat>() is null)
        {
            logger.LogError("No chat (IChat) is registered, so outbound workflow messages stay queued in the outbox until one is.");
            return Task.CompletedTask;
        }
        return services.GetRequiredService<OutboxSender>().RunAsync(stoppingToken);
    }
}
