using Bot.Workflows.Engine;
using Bot.Workflows.Incidents;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;
using Bot.Integrations.PagerDuty;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
public sealed class IncidentReconciler(IPager pager, IAggregateStore store, WorkflowEngine engine, IncidentOpener opener, IOptionsMonitor<PagerDutyOptions> pagerDuty,
    TimeProvider time, ILogger<IncidentReconciler> logger)
{
    public static readonly WorkflowActor Actor = new("pagerduty-reconciler", "PagerDuty (reconciler)", ActorKind.External);

    public async Task<ReconcileReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var readAt = time.GetUtcNow();
        // PagerDuty is asked for SecureBase's incidents only; what comes back is checked again, so another team's never gets in.
        var scope = pagerDuty.CurrentValue.Scope;
        var live = (await pager.ListOpenIncidentsAsync(cancellationToken)).Where(i => scope.Covers(i.ServiceId, i.TeamIds)).ToList();
        // Every incident the bot shows open, however many (a listing of the most recent ones could miss one PagerDuty resolved).
        var followed = (await IncidentReads.OpenRecordsAsync(store, cancellationToken)).ToDictionary(i => i.Id, StringComparer.Ordinal);
        int opened = 0, repaired = 0;

        foreach (var incident in live)
        {
            var news = new IncidentEvent(incident, readAt, null, Via: IncidentNewsSource.Reconciler);
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
            if (await CatchUpAsync(known, new IncidentEvent(now, readAt, null, Via: IncidentNewsSource.Reconciler), cancellationToken)) repaired++;
        }

        if (opened + repaired > 0) logger.LogWarning("Reconciler: {Opened} incident(s) opened and {Repaired} repaired from PagerDuty's state", opened, repaired);
        return new ReconcileReport(live.Count, opened, repaired);
    }

    private async Task<bool> CatchUpAsync(Incident known, IncidentEvent news, CancellationToken cancellationToken)
    {
        if (known.CatchUp(news.Incident) is not { } trigger) return false;
        // Who did it, only where PagerDuty says: the last status change is by whoever acknowledged, resolved or reopened it;
        // an escalation or an acknowledgement running out changes no status by anyone, so PagerDuty itself is named.
        news = news with
        {
            By = trigger switch
            {
                IncidentTrigger.Acknowledged => news.Incident.AcknowledgedBy ?? news.Incident.LastChangeBy,
                IncidentTrigger.Resolved or IncidentTrigger.Reopened => news.Incident.LastChangeBy,
                _ => null,
            },
        };
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
