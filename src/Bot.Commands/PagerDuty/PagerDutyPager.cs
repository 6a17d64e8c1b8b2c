using Bot.Workflows.Ports;

namespace Bot.Commands.PagerDuty;

/// <summary>
/// The domain's <see cref="IPager"/> over PagerDuty's REST API. PagerDuty's errors come back as
/// <see cref="PortException"/>s with the error kind as the code and PagerDuty's sentence.
/// </summary>
public sealed class PagerDutyPager(PagerDutyClient client) : IPager
{
    public async Task<PagerIncident?> GetIncidentAsync(string incidentId, CancellationToken cancellationToken)
    {
        try
        {
            var incident = await client.GetIncidentAsync(incidentId, cancellationToken);
            return new PagerIncident(incident.Id, incident.Status ?? "", incident.Title ?? incident.Summary ?? "", incident.HtmlUrl);
        }
        catch (PagerDutyApiException e) when (e.Kind == PagerDutyErrorKind.NotFound)
        {
            return null;
        }
        catch (PagerDutyApiException e)
        {
            throw new PortException(e.Kind.ToString(), e.Message, e.Transient, e);
        }
    }
}
