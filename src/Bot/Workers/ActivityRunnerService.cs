using Bot.Workflows.Activities;

namespace Bot.Workers;

/// <summary>Runs the activity runner (side effects of saved transitions) for the life of the host.</summary>
internal sealed class ActivityRunnerService(ActivityRunner runner) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await runner.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
