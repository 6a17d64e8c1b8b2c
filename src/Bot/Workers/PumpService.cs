namespace Bot.Workers;

/// <summary>
/// Runs one pump (the timers, the activities, the outbox, a webhook inbox) for the life of the host; the host's stop ends it
/// quietly, once the pump has finished what was under way and given back the rest.
/// </summary>
internal abstract class PumpService(Func<CancellationToken, Task> run) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await run(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
