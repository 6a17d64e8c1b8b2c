using Bot.Integrations.PagerDuty;
using Microsoft.Extensions.Options;

namespace Bot.Workers;

/// <summary>
/// Work that asks PagerDuty on a schedule (the reconciler, the handoff watcher): first <paramref name="firstRunAfter"/> after
/// start (to catch what happened while the bot was down), then every <see cref="Every"/> while PagerDuty is configured
/// (<see cref="Ready"/>); an interval of 0 stops it. A failed run is logged and tried again at the next one.
/// </summary>
internal abstract class PagerDutyPollService(IOptionsMonitor<PagerDutyOptions> pagerDuty, TimeProvider time, ILogger logger, TimeSpan firstRunAfter) : BackgroundService
{
    /// <summary>How often it runs now (read before each wait); 0 or less turns it off.</summary>
    protected abstract TimeSpan Every { get; }

    /// <summary>What a run does, for the log line of a failed one.</summary>
    protected abstract string What { get; }

    /// <summary>Whether PagerDuty is set up enough for a run (by default: a REST API token).</summary>
    protected virtual bool Ready(PagerDutyOptions options) => options.IsConfigured;

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = firstRunAfter;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var every = Every;
                if (every <= TimeSpan.Zero) return;
                await Task.Delay(wait < every ? wait : every, time, stoppingToken);
                wait = every;
                if (!Ready(pagerDuty.CurrentValue)) continue;
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "{What} failed; trying again in {Every}", What, every);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
