using Bot.Commands.Incidents;
using Bot.Integrations.PagerDuty;
using Microsoft.Extensions.Options;

namespace Bot.Workers;

/// <summary>
/// Runs the incident reconciler every <c>Incidents__ReconcileEvery</c> (first soon after start, to catch what happened
/// while the bot was down) while PagerDuty is configured; 0 turns it off.
/// </summary>
internal sealed class IncidentReconcilerService(IncidentReconciler reconciler, IOptionsMonitor<IncidentOptions> options, IOptionsMonitor<PagerDutyOptions> pagerDuty,
    TimeProvider time, ILogger<IncidentReconcilerService> logger) : PagerDutyPollService(pagerDuty, time, logger, FirstRunAfter)
{
    public static readonly TimeSpan FirstRunAfter = TimeSpan.FromSeconds(15);

    protected override TimeSpan Every => options.CurrentValue.ReconcileEvery;

    protected override string What => "Incident reconciler run";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => reconciler.RunOnceAsync(cancellationToken);
}
