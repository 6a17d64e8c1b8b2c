using System.Net;
using System.Text;
using Bot.Integrations.PagerDuty;
using Bot.Sandbox.PagerDuty;
using Bot.Workflows.Ports;

namespace Bot.Tests.Sandbox.PagerDuty;

/// <summary>
/// Who opened an incident, as break-glass asks it: the trigger log entry says the service's integration for an Events API
/// alert and the user for one opened through the REST API (as in the web app), and the bot's pager reads it.
/// </summary>
public sealed class PagerDutySandboxOpenerTests
{
    [Fact]
    public async Task An_events_api_alert_was_opened_by_its_service_and_the_key_says_who_asked_the_bot()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        var incident = pd.PagerDuty.Trigger(PagerDutyDirectory.Services[0], "made-up outage", "critical", "securebase-bot/page/U1ALICE/req-1");
        var pager = new PagerDutyPager(pd.Services, pd.Time);

        var trigger = await pager.GetTriggerAsync(incident.Id, CancellationToken.None);
        var read = await pager.GetIncidentAsync(incident.Id, CancellationToken.None);

        Assert.Equal(("service_reference", PagerDutyDirectory.Services[0].Id), (trigger!.AgentType, trigger.AgentId));
        Assert.False(trigger.IsUser);
        Assert.Equal(("U1ALICE", PagerDutyDirectory.Services[0].Id), (Bot.Workflows.Changes.SecureBaseIncidents.PagedBy(read!), read!.ServiceId));
    }

    [Fact]
    public async Task An_incident_a_user_opened_through_the_rest_api_names_that_user()
    {
        await using var pd = await PagerDutySandbox.StartAsync();
        var alice = PagerDutyDirectory.Users[0];
        using var create = new HttpRequestMessage(HttpMethod.Post, "pagerduty/incidents")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { incident = new { type = "incident", title = "login broken", service = new { id = PagerDutyDirectory.Services[0].Id, type = "service_reference" } } }),
                Encoding.UTF8, "application/json"),
        };
        create.Headers.Add("From", alice.Email);
        create.Headers.TryAddWithoutValidation("Authorization", "Token token=" + pd.PagerDuty.Options.ApiToken);
        using var created = await pd.Http.SendAsync(create);
        var id = pd.PagerDuty.Incidents.Single(i => i.Title == "login broken").Id;

        var trigger = await new PagerDutyPager(pd.Services, pd.Time).GetTriggerAsync(id, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(trigger!.IsUser);
        Assert.Equal(alice.Id, trigger.AgentId);
    }
}
