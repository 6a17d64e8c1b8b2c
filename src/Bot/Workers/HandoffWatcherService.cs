using Bot.Commands.Handoffs;
using Bot.Commands.Incidents;
using Bot.Integrations.PagerDuty;
using Microsoft.Extensions.Options;

namespace Bot.Workers;

/// <summary>
/// Looks at the pager's on-call for the SecureBase policy's first level every <c>Incidents__Handoff__CheckEvery</c> (first soon
/// after start) while PagerDuty is configured, and hands over at each change (<see cref="HandoffWatcher"/>); 0 turns it off.
/// </summary>
internal sealed class HandoffWatcherService(HandoffWatcher watcher, IOptionsMonitor<IncidentOptions> options, IOptionsMonitor<PagerDutyOptions> pagerDuty,
    TimeProvider time, ILogger<HandoffWatcherService> logger) : BackgroundService
{
    public static readonly TimeSpan FirstRunAfter = TimeSpan.FromSeconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = FirstRunAfter;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var every = options.CurrentValue.Handoff.CheckEvery;
                if (every <= TimeSpan.Zero) return;
                await Task.Delay(wait < every ? wait : every, time, stoppingToken);
                wait = every;
                if (!pagerDuty.CurrentValue.IsConfigured || string.IsNullOrWhiteSpace(pagerDuty.CurrentValue.EscalationPolicyId)) continue;
                try
                {
                    await watcher.RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "The on-call handoff check failed; trying again in {Every}", every);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
