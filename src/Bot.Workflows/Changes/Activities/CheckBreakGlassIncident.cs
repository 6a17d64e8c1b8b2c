using Bot.Workflows.Activities;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;

namespace Bot.Workflows.Changes.Activities;

/// <summary>Asks the pager whether an incident justifies running a change alone (read-only).</summary>
public sealed record CheckBreakGlassIncident(string IncidentId, string RequesterId, string RequesterName) : Activity
{
    public override string Describe() => $"check incident {IncidentId} for break-glass";
}

/// <summary>
/// The incident qualifies when PagerDuty says, now, that it is triggered or acknowledged, on a SecureBase service, and not
/// opened by the requester: neither through <c>/sb page</c> (the bot's pages carry who asked in their key) nor as a
/// PagerDuty user (the trigger log entry's agent, matched to the requester by their e-mail). Anything the bot cannot read
/// or tell is a no: a refusal, at once, with the reason.
/// </summary>
public sealed class CheckBreakGlassIncidentHandler(IPager pager, IDirectory directory, SecureBaseIncidents? secureBase = null) : ActivityHandler<CheckBreakGlassIncident>
{
    private readonly SecureBaseIncidents _secureBase = secureBase ?? SecureBaseIncidents.ByServiceName;

    protected override Task<LiveCheck> CheckAsync(CheckBreakGlassIncident activity, CancellationToken cancellationToken) => Task.FromResult(LiveCheck.Go);

    protected override async Task<ActivityResult> RunAsync(CheckBreakGlassIncident a, CancellationToken cancellationToken)
    {
        try
        {
            return new ActivityResult(await QualifyAsync(a, cancellationToken));
        }
        catch (PortException e) when (e.Code != "NotQualifying")
        {
            // Failing to read means no: the requester may click again, or ask for an approval.
            throw No($"PagerDuty could not be asked about incident {a.IncidentId} ({e.Message}), so it does not count");
        }
    }

    private async Task<string> QualifyAsync(CheckBreakGlassIncident a, CancellationToken cancellationToken)
    {
        var incident = await pager.GetIncidentAsync(a.IncidentId, cancellationToken) ?? throw No($"PagerDuty has no incident {a.IncidentId}");
        if (!incident.IsOpen)
            throw No($"incident {a.IncidentId} is {incident.Status}{(incident.LastChangeBy is { } by ? $" (by {by})" : "")}; break-glass needs one that is triggered or acknowledged");
        if (!_secureBase.Covers(incident))
            throw No($"incident {a.IncidentId} is on {incident.Service ?? "an unknown service"}, not {_secureBase.Rule}");
        if (SecureBaseIncidents.PagedBy(incident) is { } pagedBy && pagedBy == a.RequesterId)
            throw No($"you opened incident {a.IncidentId} yourself (with /sb page); break-glass needs an incident someone or something else raised");
        var trigger = await pager.GetTriggerAsync(a.IncidentId, cancellationToken)
                      ?? throw No($"PagerDuty does not say who opened incident {a.IncidentId}, so it cannot be told apart from one you opened");
        if (trigger.IsUser)
        {
            var email = await directory.EmailOfAsync(new WorkflowActor(a.RequesterId, a.RequesterName), cancellationToken)
                        ?? throw No($"incident {a.IncidentId} was opened by a PagerDuty user, and your Slack profile has no e-mail to tell whether it was you");
            var you = await pager.FindUserAsync(email, cancellationToken);
            if (you is not null && you.Id == trigger.AgentId)
                throw No($"you opened incident {a.IncidentId} yourself (as {you.Name} in PagerDuty); break-glass needs an incident someone or something else raised");
        }
        return $"{incident.Status} on {incident.Service ?? "its service"}, opened by {trigger.AgentName ?? trigger.AgentType}";
    }

    private static PortException No(string why) => new("NotQualifying", why, transient: false);
}
