using Bot.Commands.Handoffs;
using Bot.Commands.Incidents;
using Bot.Integrations.PagerDuty;
using Microsoft.Extensions.Options;

namespace Bot.Workers;

/// <summary>
/// Looks at the pager's on-call for the SecureBase policy's first level every <c>Incidents__Handoff__CheckEvery</c> (first soon
/// after start) while PagerDuty and its policy are configured, and hands over at each change (<see cref="HandoffWatcher"/>); 0
/// turns it off.
/// </summary>
internal sealed class HandoffWatcherService(HandoffWatcher watcher, IOptionsMonitor<IncidentOptions> options, IOptionsMonitor<PagerDutyOptions> pagerDuty,
    TimeProvider time, ILogger<HandoffWatcherService> logger) : PagerDutyPollService(pagerDuty, time, logger, FirstRunAfter)
{
    public static readonly TimeSpan FirstRunAfter = TimeSpan.FromSeconds(20);

    protected override TimeSpan Every => options.CurrentValue.Handoff.CheckEvery;

    protected override string What => "The on-call handoff check";

    protected override bool Ready(PagerDutyOptions o) => o.IsConfigured && !string.IsNullOrWhiteSpace(o.EscalationPolicyId);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => watcher.RunOnceAsync(cancellationToken);
}
