using System.Globalization;
using Bot.Workflows.Activities;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Incidents.Activities;

/// <summary>What a button (or the bot's clock) asks PagerDuty to do.</summary>
public enum PagerAction { Acknowledge, Resolve, Escalate, Snooze }

/// <summary>
/// A call to PagerDuty for an incident, as <see cref="Person"/> (their PagerDuty account, found by the e-mail of their
/// chat profile) or, when null, as the bot's own PagerDuty user. <see cref="ToLevel"/> is the 1-based level to escalate
/// to; <see cref="SnoozeFor"/> how long to snooze. Its result is the incident as PagerDuty then shows it.
/// </summary>
public sealed record IncidentAction(string IncidentId, PagerAction Action, IncidentPerson? Person, int? ToLevel = null, TimeSpan? SnoozeFor = null) : Activity
{
    public override string Describe() => Action switch
    {
        PagerAction.Escalate => $"escalate PagerDuty incident {IncidentId} to level {ToLevel} as {As}",
        PagerAction.Snooze => $"snooze PagerDuty incident {IncidentId} for {SnoozeFor?.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} min as {As}",
        _ => $"{Action.ToString().ToLowerInvariant()} PagerDuty incident {IncidentId} as {As}",
    };

    private string As => Person is { } p ? "@" + p.Name : "the bot";
}

/// <summary>
/// Runs <see cref="IncidentAction"/> through the pager. Every attempt looks at PagerDuty first: an incident already in
/// the wanted state is done (an earlier attempt, or someone else, got there); one whose state forbids the action is
/// left alone — above all a resolved incident is never acknowledged, which would reopen it. A person without a PagerDuty
/// account (by the e-mail of their chat profile) changes nothing and is told so.
/// </summary>
public sealed class IncidentActionHandler(IPager pager, IDirectory directory, TimeProvider time) : ActivityHandler<IncidentAction>
{
    /// <summary>The code of a clock escalation not made because PagerDuty shows the incident acknowledged.</summary>
    public const string AcknowledgedFirst = "AcknowledgedFirst";

    protected override async Task<LiveCheck> CheckAsync(IncidentAction a, CancellationToken cancellationToken)
    {
        if (a.Person is { } person && await PagerAccountAsync(person, cancellationToken) is { } refusal) return refusal;
        var incident = await pager.GetIncidentWithLevelAsync(a.IncidentId, cancellationToken);
        if (incident is null) return LiveCheck.Differs("NotFound", $"PagerDuty has no incident {a.IncidentId}; nothing was changed.");
        var resolved = incident.Status == PagerIncident.Resolved;
        return a.Action switch
        {
            PagerAction.Acknowledge when resolved => LiveCheck.Differs("AlreadyResolved",
                $"Incident {a.IncidentId} is already resolved in PagerDuty; acknowledging it would reopen it, so nothing was changed."),
            PagerAction.Acknowledge when incident.Status == PagerIncident.Acknowledged => Done("already acknowledged", incident),
            PagerAction.Resolve when resolved => Done("already resolved", incident),
            PagerAction.Escalate when resolved => LiveCheck.Differs("AlreadyResolved", $"Incident {a.IncidentId} is resolved; it does not escalate."),
            PagerAction.Escalate when incident.Status == PagerIncident.Triggered && incident.Level >= a.ToLevel => Done($"already at level {incident.Level}", incident),
            // The bot's clock ran out while the acknowledgement was on its way (its webhook waiting in the inbox): escalating
            // now would trigger it again and page the next level over someone who answered in time.
            PagerAction.Escalate when a.Person is null && incident.Status == PagerIncident.Acknowledged => LiveCheck.Differs(AcknowledgedFirst,
                $"{incident.LastChangeBy ?? "Someone"} acknowledged it in PagerDuty before the bot's deadline took effect, so PagerDuty was not escalated."),
            PagerAction.Snooze when incident.Status != PagerIncident.Acknowledged => LiveCheck.Differs("NotAcknowledged",
                $"PagerDuty snoozes only acknowledged incidents, and {a.IncidentId} is {incident.Status}; nothing was changed."),
            _ => LiveCheck.Go,
        };
    }

    protected override async Task<ActivityResult> RunAsync(IncidentAction a, CancellationToken cancellationToken)
    {
        string? from = null;
        if (a.Person is { } person)
        {
            var email = await directory.EmailOfAsync(person.ToActor(), cancellationToken);
            from = (email is null ? null : await pager.FindUserAsync(email, cancellationToken))?.Email
                   ?? throw new PortException("NoPagerDutyAccount", NoAccount(email), transient: false);
        }
        var incident = a.Action switch
        {
            PagerAction.Acknowledge => await pager.AcknowledgeAsync(a.IncidentId, from!, cancellationToken),
            PagerAction.Resolve => await pager.ResolveAsync(a.IncidentId, from!, cancellationToken),
            PagerAction.Escalate => await pager.EscalateAsync(a.IncidentId, a.ToLevel ?? 1, from, cancellationToken),
            _ => await pager.SnoozeAsync(a.IncidentId, a.SnoozeFor ?? TimeSpan.FromHours(1), from!, cancellationToken),
        };
        var by = a.Person is { } p ? "@" + p.Name : null;
        var result = new IncidentEvent(incident, time.GetUtcNow(), by, Via: IncidentNewsSource.Bot);
        return new ActivityResult($"PagerDuty: {a.Describe()}: done", result.ToJson());
    }

    private LiveCheck Done(string what, PagerIncident incident) =>
        LiveCheck.Done(what, new IncidentEvent(incident, time.GetUtcNow(), incident.LastChangeBy, Via: IncidentNewsSource.Bot).ToJson());

    private async Task<LiveCheck?> PagerAccountAsync(IncidentPerson person, CancellationToken cancellationToken)
    {
        var email = await directory.EmailOfAsync(person.ToActor(), cancellationToken);
        if (email is not null && await pager.FindUserAsync(email, cancellationToken) is not null) return null;
        return LiveCheck.Differs("NoPagerDutyAccount", NoAccount(email));
    }

    private static string NoAccount(string? email) => email is null
        ? "Your Slack profile shows no e-mail address, so I cannot find your PagerDuty account; nothing was changed."
        : $"There is no PagerDuty user with the e-mail of your Slack profile ({email}), so nothing was changed. Ask a PagerDuty admin to add you.";
}
