using Bot.Commands.Incidents;
using Bot.Integrations.PagerDuty;
using Microsoft.Extensions.Options;

namespace Bot.Workers;

/// <summary>
/// Runs the incident reconciler every <c>Incidents__ReconcileEvery</c> (first soon after start, to catch what happened
/// while the bot was down) while PagerDuty is configured; 0 turns it off.
/// </summary>
internal sealed class IncidentReconcilerService(IncidentReconciler reconciler, IOptionsMonitor<IncidentOptions> options, IOptionsMonitor<PagerDutyOptions> pagerDuty,
    TimeProvider time, ILogger<IncidentReconcilerService> logger) : BackgroundService
{
    public static readonly TimeSpan FirstRunAfter = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = FirstRunAfter;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var every = options.CurrentValue.ReconcileEvery;
                if (every <= TimeSpan.Zero) return;
                await Task.Delay(wait < every ? wait : every, time, stoppingToken);
                wait = every;
                if (!pagerDuty.CurrentValue.IsConfigured) continue;
                try
                {
                    await reconciler.RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Incident reconciler run failed; trying again in {Every}", every);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
