using Bot.Workflows.Timers;

namespace Bot.Workers;

/// <summary>Runs the durable timer pump for the life of the host.</summary>
internal sealed class TimerPumpService(TimerPump pump) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await pump.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
