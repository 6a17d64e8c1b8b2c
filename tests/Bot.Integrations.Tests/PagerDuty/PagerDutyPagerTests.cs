using Bot.Testing;
using System.Text.Json.Nodes;
using Bot.Testing.PagerDuty;
using Bot.Testing.Slack;
using Bot.Workflows.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Integrations.Tests.PagerDuty;

/// <summary>The domain's IPager over the real PagerDuty client, against PagerDuty's API fake on loopback.</summary>
public sealed class PagerDutyPagerTests : IAsyncLifetime
{
    private PagerDutyApiHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await PagerDutyApiHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private IPager Pager => _harness.Services.GetRequiredService<IPager>();

    private static ScriptedResponse OnCallsWithTheAssigneeOnLevel(int level)
    {
        var body = JsonNode.Parse(PagerDutyApiFake.FixtureBody("rest/list-oncalls.response.json"))!;
        body["oncalls"]![0]!["escalation_level"] = level;
        body["oncalls"]![0]!["user"]!["id"] = "PXPGF42";
        return new ScriptedResponse(200, body.ToJsonString());
    }

    private static ScriptedResponse Incident(string status, bool escalates = false)
    {
        var body = JsonNode.Parse(PagerDutyApiFake.FixtureBody("rest/get-incident.response.json"))!;
        body["incident"]!["status"] = status;
        if (escalates) body["incident"]!["pending_actions"] = new JsonArray(new JsonObject { ["type"] = "escalate", ["at"] = "2026-11-30T14:32:00Z" });
        return new ScriptedResponse(200, body.ToJsonString());
    }

    [Fact]
    public async Task An_incident_comes_with_its_level_from_the_policys_on_calls_and_its_next_escalation()
    {
        _harness.Fake.Script("GET", "/oncalls", OnCallsWithTheAssigneeOnLevel(2));
        _harness.Fake.Script("GET", "/incidents/PT4KHLK", Incident("triggered", escalates: true), Incident("triggered"));

        var first = await Pager.GetIncidentWithLevelAsync("PT4KHLK", CancellationToken.None);
        var second = await Pager.GetIncidentWithLevelAsync("PT4KHLK", CancellationToken.None);

        Assert.Equal((2, new DateTimeOffset(2026, 11, 30, 14, 32, 0, TimeSpan.Zero)), (first!.Level, first.NextEscalationAt));
        Assert.Equal(("The server is on fire.", 1234L, "My Mail Service"), (first.Title, first.Number, first.Service));
        Assert.Equal(2, second!.Level);
        Assert.Single(_harness.Fake.Calls("GET", "/oncalls")); // the on-calls are remembered for a minute
    }

    [Fact]
    public async Task An_unknown_incident_is_null()
    {
        _harness.Fake.Script("GET", "/incidents/PNOPE", PagerDutyApiFake.Error(404, 2100, "Not Found"));

        Assert.Null(await Pager.GetIncidentAsync("PNOPE", CancellationToken.None));
    }

    [Fact]
    public async Task PagerDutys_refusal_comes_back_in_the_domains_terms()
    {
        _harness.Fake.Script("GET", "/incidents/PT4KHLK", Incident("resolved"));

        var refused = await Assert.ThrowsAsync<PortException>(() => Pager.AcknowledgeAsync("PT4KHLK", "rob@securebase.example", CancellationToken.None));

        Assert.Equal(("AlreadyResolved", false), (refused.Code, refused.Transient));
        Assert.Empty(_harness.Fake.Calls("PUT", "/incidents/PT4KHLK"));
    }

    [Fact]
    public async Task The_bots_own_escalation_is_sent_as_the_bots_pagerduty_user_to_the_level_asked()
    {
        _harness.Fake.Script("GET", "/incidents/PT4KHLK", Incident("triggered"));

        var escalated = await Pager.EscalateAsync("PT4KHLK", 3, null, CancellationToken.None);

        var put = Assert.Single(_harness.Fake.Calls("PUT", "/incidents/PT4KHLK"));
        Assert.Equal(PagerDutyApiHarness.FromEmail, put.Header("From"));
        Assert.Equal(3, put.Json.GetProperty("incident").GetProperty("escalation_level").GetInt32());
        Assert.Equal(3, escalated.Level);
    }

    [Fact]
    public async Task A_user_is_found_by_exact_email()
    {
        _harness.Fake.Script("GET", "/users", new ScriptedResponse(200,
            """{"users":[{"id":"P1","name":"Robin","email":"robin@securebase.example"},{"id":"P2","name":"Rob Ray","email":"Rob@SecureBase.example"}],"limit":100,"offset":0,"more":false}"""));

        var user = await Pager.FindUserAsync("rob@securebase.example", CancellationToken.None);

        Assert.Equal(new PagerUser("P2", "Rob Ray", "Rob@SecureBase.example"), user);
    }
}
