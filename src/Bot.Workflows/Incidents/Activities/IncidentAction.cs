using System.Globalization;
using Bot.Workflows.Activities;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Incidents.Activities;

/// <summary>What a button, a command (or the bot's clock) asks PagerDuty to do.</summary>
public enum PagerAction { Acknowledge, Resolve, Escalate, Snooze, Note, StatusUpdate, Assign }

/// <summary>
/// A call to PagerDuty for an incident, as <see cref="Person"/> (their PagerDuty account, found by the e-mail of their
/// chat profile) or, when null, as the bot's own PagerDuty user. <see cref="ToLevel"/> is the 1-based level to escalate
/// to; <see cref="SnoozeFor"/> how long to snooze. <see cref="FromLevel"/> makes it the bot's clock: it escalates only an
/// incident still triggered on that level (1-based), never one someone acknowledged. <see cref="OnBehalfOf"/> names the
/// person an acknowledgement by the bot is for. Its result is the incident as PagerDuty then shows it.
/// </summary>
public sealed record IncidentAction(string IncidentId, PagerAction Action, IncidentPerson? Person, int? ToLevel = null, TimeSpan? SnoozeFor = null,
    int? FromLevel = null, string? OnBehalfOf = null) : Activity
{
    /// <summary>The note's or the status update's text.</summary>
    public string? Text { get; init; }

    /// <summary>Whom to assign it to: a Slack user id (<c>U…</c>) or a PagerDuty user's e-mail.</summary>
    public string? AssignTo { get; init; }

    public override string Describe() => Action switch
    {
        PagerAction.Note => $"add a note to PagerDuty incident {IncidentId} as {As}",
        PagerAction.StatusUpdate => $"publish a status update on PagerDuty incident {IncidentId} as {As}",
        PagerAction.Assign => $"assign PagerDuty incident {IncidentId} to {AssignTo} as {As}",
        PagerAction.Escalate when FromLevel is { } from => $"escalate PagerDuty incident {IncidentId} from level {from} to level {ToLevel} if it is still triggered there, as {As}",
        PagerAction.Escalate => $"escalate PagerDuty incident {IncidentId} to level {ToLevel} as {As}",
        PagerAction.Acknowledge when OnBehalfOf is { } whom => $"acknowledge PagerDuty incident {IncidentId} again for {whom}, as {As}",
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
    protected override async Task<LiveCheck> CheckAsync(IncidentAction a, CancellationToken cancellationToken)
    {
        if (a.Person is { } person && await PagerAccountAsync(person, cancellationToken) is { } refusal) return refusal;
        var incident = await pager.GetIncidentWithLevelAsync(a.IncidentId, cancellationToken);
        if (incident is null) return LiveCheck.Differs("NotFound", $"PagerDuty has no incident {a.IncidentId}; nothing was changed.");
        var resolved = incident.Status == PagerIncident.Resolved;
        if (a.Action == PagerAction.Escalate && a.FromLevel is { } from) return ClockCheck(a, from, incident);
        return a.Action switch
        {
            PagerAction.Acknowledge when resolved => LiveCheck.Differs("AlreadyResolved",
                $"Incident {a.IncidentId} is already resolved in PagerDuty; acknowledging it would reopen it, so nothing was changed."),
            PagerAction.Acknowledge when incident.Status == PagerIncident.Acknowledged => Done("already acknowledged", incident, a.OnBehalfOf),
            PagerAction.Resolve when resolved => Done("already resolved", incident),
            PagerAction.Escalate when resolved => LiveCheck.Differs("AlreadyResolved", $"Incident {a.IncidentId} is resolved; it does not escalate."),
            PagerAction.Escalate when incident.Status == PagerIncident.Triggered && incident.Level >= a.ToLevel => Done($"already at level {incident.Level}", incident),
            PagerAction.Snooze when incident.Status != PagerIncident.Acknowledged => LiveCheck.Differs("NotAcknowledged",
                $"PagerDuty snoozes only acknowledged incidents, and {a.IncidentId} is {incident.Status}; nothing was changed."),
            PagerAction.Assign when resolved => LiveCheck.Differs("AlreadyResolved", $"Incident {a.IncidentId} is resolved; it is assigned to nobody."),
            _ => LiveCheck.Go,
        };
    }

    /// <summary>
    /// The bot's clock escalates only an incident still triggered on <paramref name="from"/>: one that someone acknowledged
    /// or resolved, that PagerDuty escalated already, or whose level cannot be told (a direct assignment) is left alone, and
    /// what PagerDuty shows is the answer.
    /// </summary>
    private LiveCheck ClockCheck(IncidentAction a, int from, PagerIncident incident) => incident switch
    {
        { Status: PagerIncident.Resolved } => Done("resolved: not escalated", incident),
        { Status: PagerIncident.Acknowledged } => Done($"acknowledged by {incident.AcknowledgedBy ?? incident.LastChangeBy ?? "someone"}: not escalated", incident),
        { Level: { } level } when level >= a.ToLevel => Done($"already at level {level}", incident),
        { Level: { } level } when level == from && !incident.IsDirectlyAssigned => LiveCheck.Go,
        _ => Done(incident.IsDirectlyAssigned ? "assigned directly: not escalated" : $"on level {incident.Level?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}: not escalated", incident),
    };

    protected override async Task<ActivityResult> RunAsync(IncidentAction a, CancellationToken cancellationToken)
    {
        string? from = null;
        PagerUser? user = null;
        if (a.Person is { } person)
        {
            var email = await directory.EmailOfAsync(person.ToActor(), cancellationToken);
            user = (email is null ? null : await pager.FindUserAsync(email, cancellationToken))
                   ?? throw new PortException("NoPagerDutyAccount", NoAccount(email), transient: false);
            from = user.Email;
        }
        if (a.Action is PagerAction.Note or PagerAction.StatusUpdate) return await WriteAsync(a, from!, user, cancellationToken);
        var incident = a.Action switch
        {
            PagerAction.Assign => await pager.AssignAsync(a.IncidentId, await AssigneeAsync(a.AssignTo, cancellationToken), from!, cancellationToken),
            PagerAction.Acknowledge => await pager.AcknowledgeAsync(a.IncidentId, from, cancellationToken),
            PagerAction.Resolve => await pager.ResolveAsync(a.IncidentId, from!, cancellationToken),
            PagerAction.Escalate => await pager.EscalateAsync(a.IncidentId, a.ToLevel ?? 1, from, cancellationToken),
            _ => await pager.SnoozeAsync(a.IncidentId, a.SnoozeFor ?? TimeSpan.FromHours(1), from!, cancellationToken),
        };
        var by = a.Person is { } p ? "@" + p.Name : a.OnBehalfOf;
        var result = new IncidentEvent(incident, time.GetUtcNow(), by, Via: IncidentNewsSource.Bot) { ByPagerDuty = user?.Name };
        return new ActivityResult($"PagerDuty: {a.Describe()}: done", result.ToJson());
    }

    /// <summary>A note or a status update: written as the person, and its line carries its id (its webhook echo is not shown again).</summary>
    private async Task<ActivityResult> WriteAsync(IncidentAction a, string from, PagerUser? user, CancellationToken cancellationToken)
    {
        var text = a.Text ?? "";
        var note = a.Action == PagerAction.Note
            ? await pager.AddNoteAsync(a.IncidentId, text, from, cancellationToken)
            : await pager.PublishStatusUpdateAsync(a.IncidentId, text, from, cancellationToken);
        var incident = await pager.GetIncidentAsync(a.IncidentId, cancellationToken) ?? new PagerIncident(a.IncidentId, "", "");
        var by = "@" + a.Person!.Name;
        var result = new IncidentEvent(incident, time.GetUtcNow(), by, a.Action == PagerAction.Note ? $"Note by {by}: {note.Text}" : $"Status update by {by}: {note.Text}",
            IncidentNewsSource.Bot)
        {
            ByPagerDuty = user?.Name,
            NoteId = note.Id,
            Icon = a.Action == PagerAction.Note ? "📝" : "📣",
        };
        return new ActivityResult($"PagerDuty: {a.Describe()}: done", result.ToJson());
    }

    /// <summary>The pager user to assign to: a Slack user's (by their profile's e-mail) or the one with that e-mail.</summary>
    private async Task<PagerUser> AssigneeAsync(string? target, CancellationToken cancellationToken)
    {
        var email = target is ['U' or 'W', ..] ? await directory.EmailOfAsync(new Engine.WorkflowActor(target, target), cancellationToken) : target;
        return (email is null ? null : await pager.FindUserAsync(email, cancellationToken))
               ?? throw new PortException("AssigneeNotFound", $"There is no PagerDuty user for {(target is ['U' or 'W', ..] ? "that Slack user" : target)}{(email is null ? " (no e-mail in their Slack profile)" : $" ({email})")}; nothing was changed.", transient: false);
    }

    /// <summary>PagerDuty shows the result already: its incident is the answer, by whoever changed its status last (its acknowledger when acknowledged).</summary>
    private LiveCheck Done(string what, PagerIncident incident, string? acknowledgedFor = null) =>
        LiveCheck.Done(what, new IncidentEvent(incident, time.GetUtcNow(), incident.Status switch
        {
            PagerIncident.Acknowledged => acknowledgedFor ?? incident.AcknowledgedBy ?? incident.LastChangeBy,
            PagerIncident.Resolved => incident.LastChangeBy,
            _ => null,
        }, Via: IncidentNewsSource.Bot).ToJson());

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
