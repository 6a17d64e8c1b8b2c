using Bot.Workflows.Engine;
using Bot.Workflows.Incidents;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Commands.Incidents;

/// <summary>What one reconciler run found and repaired.</summary>
public sealed record ReconcileReport(int OpenInPagerDuty, int Opened, int Repaired);

/// <summary>
/// Polls PagerDuty's open incidents (<c>GET /incidents?statuses[]=triggered&amp;statuses[]=acknowledged</c>) so that a lost
/// webhook or a disabled subscription cannot leave a thread wrong: an open incident the bot does not follow gets its
/// thread; a followed incident whose state or level differs from PagerDuty's catches up (the thread says the reconciler
/// found it); a followed incident PagerDuty no longer lists as open is read and, when resolved, resolved here too. The
/// news is dated when PagerDuty was read, so a webhook that arrived in between is not undone. Safe on several instances.
/// </summary>
public sealed class IncidentReconciler(IPager pager, IAggregateStore store, WorkflowEngine engine, IncidentOpener opener, TimeProvider time,
    ILogger<IncidentReconciler> logger)
{
    public static readonly WorkflowActor Actor = new("pagerduty-reconciler", "PagerDuty (reconciler)", ActorKind.External);

    public async Task<ReconcileReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var readAt = time.GetUtcNow();
        var live = await pager.ListOpenIncidentsAsync(cancellationToken);
        var followed = (await store.ListAggregatesAsync(Incident.Type, null, IncidentReads.MaxListed, cancellationToken))
            .Select(r => (Incident)Incident.Definition.Restore(r))
            .ToDictionary(i => i.Id, StringComparer.Ordinal);
        int opened = 0, repaired = 0;

        foreach (var incident in live)
        {
            var news = new IncidentEvent(incident, readAt, incident.LastChangeBy, Via: IncidentNewsSource.Reconciler);
            if (!followed.TryGetValue(incident.Id, out var known))
            {
                if (await store.LoadAsync(Incident.Type, incident.Id, cancellationToken) is { } record) known = (Incident)Incident.Definition.Restore(record);
                else
                {
                    logger.LogWarning("Reconciler: PagerDuty incident {Id} is open and the bot had no thread for it (a lost webhook); opening it", incident.Id);
                    if ((await opener.OpenAsync(news, $"pagerduty-open:{incident.Id}", cancellationToken)).IsTransitioned) opened++;
                    continue;
                }
            }
            if (await CatchUpAsync(known, news, cancellationToken)) repaired++;
        }

        var liveIds = live.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var known in followed.Values.Where(i => i.CurrentState != IncidentState.Resolved && !liveIds.Contains(i.Id)))
        {
            var now = await pager.GetIncidentAsync(known.Id, cancellationToken)
                      ?? new PagerIncident(known.Id, PagerIncident.Resolved, known.Data.Title) { LastChangeBy = "PagerDuty (the incident is gone)" };
            if (await CatchUpAsync(known, new IncidentEvent(now, readAt, now.LastChangeBy, Via: IncidentNewsSource.Reconciler), cancellationToken)) repaired++;
        }

        if (opened + repaired > 0) logger.LogWarning("Reconciler: {Opened} incident(s) opened and {Repaired} repaired from PagerDuty's state", opened, repaired);
        return new ReconcileReport(live.Count, opened, repaired);
    }

    private async Task<bool> CatchUpAsync(Incident known, IncidentEvent news, CancellationToken cancellationToken)
    {
        if (known.CatchUp(news.Incident) is not { } trigger) return false;
        var outcome = await engine.FireAsync(new WorkflowTrigger(Incident.Type, known.Id, trigger.ToString(), Actor)
        {
            Source = TriggerSource.External,
            RequestId = $"reconcile:{known.Id}",
            ArgumentsJson = news.ToJson(),
        }, cancellationToken);
        logger.LogInformation("Reconciler: incident {Id} {Trigger}: {Outcome}", known.Id, trigger, outcome.Kind);
        return outcome.IsTransitioned;
    }
}
