namespace Bot.Workflows.Ports;

/// <summary>An incident as the pager (PagerDuty) knows it.</summary>
public sealed record PagerIncident(string Id, string Status, string Title, string? Url = null)
{
    public bool IsOpen => Status is "triggered" or "acknowledged";
}

/// <summary>
/// The paging capability (PagerDuty implements it). Failures come back as <see cref="PortException"/>; a pager that
/// is not configured answers <c>NotConfigured</c>.
/// </summary>
public interface IPager
{
    /// <summary>The incident, or null when there is none with that id.</summary>
    Task<PagerIncident?> GetIncidentAsync(string incidentId, CancellationToken cancellationToken);
}

/// <summary>The pager when PagerDuty is not configured: every call says so.</summary>
public sealed class NoPager : IPager
{
    public Task<PagerIncident?> GetIncidentAsync(string incidentId, CancellationToken cancellationToken) =>
        throw new PortException("NotConfigured", "PagerDuty is not configured for this bot (PagerDuty__ApiToken)", transient: false);
}
