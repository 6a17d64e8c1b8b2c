namespace Bot.Slack;

/// <summary>
/// Drains <see cref="SlackWorkQueue"/> with a few concurrent workers, each item in its own DI scope.
/// On shutdown it stops taking new work and finishes what is queued, unless the host's shutdown
/// timeout runs out first.
/// </summary>
public sealed class SlackWorkQueueWorker(SlackWorkQueue queue, IServiceScopeFactory scopes, ILogger<SlackWorkQueueWorker> logger) : IHostedService, IDisposable
{
    /// <summary>Commands mostly wait on AWS, Slack and PagerDuty: this many run at once, so one slow <c>/sb health</c> never holds the others up.</summary>
    public const int Workers = 32;

    private readonly CancellationTokenSource _abort = new();
    private Task _running = Task.CompletedTask;

    /// <summary>True between start and stop: readiness reports it.</summary>
    public bool IsRunning { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkAsync, CancellationToken.None)));
        IsRunning = true;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        IsRunning = false;
        queue.Complete();
        using var giveUp = cancellationToken.Register(_abort.Cancel);
        try
        {
            await _running.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Shutdown timeout reached with {Count} Slack work item(s) still queued", queue.Count);
        }
    }

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var work in queue.Reader.ReadAllAsync(_abort.Token))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await work.RunAsync(scope.ServiceProvider, _abort.Token);
                }
                catch (OperationCanceledException) when (_abort.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    logger.LogError(e, "Slack work '{Work}' failed", work.Description);
                }
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
        }
    }

    public void Dispose() => _abort.Dispose();
}
