using Bot.Testing.PagerDuty;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Integrations.PagerDuty.Rest;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.Testing;

namespace Bot.Integrations.Tests.PagerDuty;

public class PagerDutyWebhookParserTests
{
    private static PagerDutyWebhookEvent Parse(byte[] body)
    {
        var parsed = PagerDutyWebhookParser.Parse(body, out var error);
        Assert.True(parsed is not null, error);
        return parsed!;
    }

    private static PagerDutyWebhookEvent ParseFixture(string file) => Parse(Fixtures.ReadBytes("pagerduty/webhooks-v3/" + file));

    /// <summary>A documented <c>event.data</c> object inside an event envelope.</summary>
    internal static byte[] Envelope(string eventType, string dataFixture)
    {
        var envelope = new JsonObject
        {
            ["event"] = new JsonObject
            {
                ["id"] = "01TESTEVENT",
                ["event_type"] = eventType,
                ["resource_type"] = "incident",
                ["occurred_at"] = "2020-10-02T18:45:22.169Z",
                ["agent"] = null,
                ["client"] = null,
                ["data"] = JsonNode.Parse(Fixtures.ReadText("pagerduty/webhooks-v3/" + dataFixture)),
            },
        };
        return Encoding.UTF8.GetBytes(envelope.ToJsonString());
    }

    [Fact]
    public void A_real_triggered_delivery_is_read_whole()
    {
        var e = ParseFixture("raw/aldaviva.incident.triggered.json");

        Assert.Equal("01FKZSRAPTMF55RE69G8BQHGC6", e.Id);
        Assert.Equal(PagerDutyEventKind.Triggered, e.Kind);
        Assert.Equal("incident", e.ResourceType);
        Assert.Equal(new DateTimeOffset(2025, 4, 7, 3, 47, 13, 414, TimeSpan.Zero), e.OccurredAt);
        Assert.Equal("Ben", e.Agent?.Summary);
        Assert.Null(e.ClientName);
        Assert.Equal("Q2CKYRLH85UNN4", e.IncidentId);
        var incident = e.Incident!;
        Assert.Equal(37, incident.Number);
        Assert.Equal(IncidentStatus.Triggered, incident.KnownStatus);
        Assert.Equal("Test", incident.Title);
        Assert.Equal("low", incident.Urgency);
        Assert.Equal("Webhook Tester", incident.Service?.Summary);
        Assert.Equal("P482651", incident.EscalationPolicy?.Id);
        Assert.Null(incident.Priority);
        Assert.Equal(["PVE0ZR9"], incident.Assignees.Select(a => a.Id));
        Assert.Equal("incident_default", incident.IncidentType);
    }

    [Fact]
    public void A_priority_update_with_a_numeric_conference_number_is_still_read()
    {
        var e = ParseFixture("raw/go-pagerduty.incident.priority_updated.json");

        Assert.Equal(PagerDutyEventKind.PriorityUpdated, e.Kind);
        Assert.Equal("P1", e.Incident?.Priority?.Summary);
        Assert.Equal(["Engineering"], e.Incident!.Teams.Select(t => t.Summary));
    }

    [Fact]
    public void The_docs_example_payload_names_its_client()
    {
        var e = ParseFixture("docs.incident.priority_updated.json");

        Assert.Equal("PagerDuty", e.ClientName);
        Assert.Equal(new DateTimeOffset(2020, 10, 2, 18, 45, 22, TimeSpan.Zero), e.Incident?.ReopenedAt);
        Assert.Equal("d3640fbd41094207a1c11e58e46b1662", e.Incident?.IncidentKey);
    }

    [Fact]
    public void Escalated_and_reassigned_payloads_are_read()
    {
        var escalated = ParseFixture("zulip.incident.escalated.json");
        var reassigned = ParseFixture("zulip.incident.reassigned.json");

        Assert.Equal(PagerDutyEventKind.Escalated, escalated.Kind);
        Assert.Equal("Critical: Checkout API High Latency", escalated.Incident?.Title);
        Assert.Equal(PagerDutyEventKind.Reassigned, reassigned.Kind);
        Assert.Equal(["Test User"], reassigned.Incident!.Assignees.Select(a => a.Summary));
        Assert.Null(reassigned.Incident.IncidentKey);
        Assert.Null(reassigned.Incident.CreatedAt);
    }

    [Theory]
    [InlineData("incident.triggered", PagerDutyEventKind.Triggered)]
    [InlineData("incident.acknowledged", PagerDutyEventKind.Acknowledged)]
    [InlineData("incident.unacknowledged", PagerDutyEventKind.Unacknowledged)]
    [InlineData("incident.escalated", PagerDutyEventKind.Escalated)]
    [InlineData("incident.reassigned", PagerDutyEventKind.Reassigned)]
    [InlineData("incident.delegated", PagerDutyEventKind.Delegated)]
    [InlineData("incident.resolved", PagerDutyEventKind.Resolved)]
    [InlineData("incident.reopened", PagerDutyEventKind.Reopened)]
    [InlineData("incident.priority_updated", PagerDutyEventKind.PriorityUpdated)]
    public void Every_incident_event_type_carries_the_documented_incident(string eventType, PagerDutyEventKind kind)
    {
        var e = Parse(Envelope(eventType, "docs.event-data.incident.json"));

        Assert.Equal(kind, e.Kind);
        Assert.Equal("PGR0VU2", e.IncidentId);
        Assert.Equal("A little bump in the road", e.Incident?.Title);
        Assert.Equal("major", e.Incident?.IncidentType);
    }

    [Fact]
    public void An_annotation_carries_the_note_and_its_incident()
    {
        var e = Parse(Envelope("incident.annotated", "docs.event-data.incident_note.json"));

        Assert.Equal(PagerDutyEventKind.Annotated, e.Kind);
        Assert.Null(e.Incident);
        Assert.Equal("I sure am glad we are using PagerDuty!", e.Note?.Content);
        Assert.Equal("PGR0VU2", e.IncidentId);
    }

    [Fact]
    public void A_responder_added_event_carries_the_responder()
    {
        var body = """
            {"event":{"id":"01R","event_type":"incident.responder.added","resource_type":"incident","occurred_at":"2021-06-04T10:17:54.838Z","agent":null,"client":null,
             "data":{"incident":{"id":"PGR0VU2","type":"incident_reference","summary":"A little bump in the road"},"user":{"id":"PVMGSML","type":"user_reference","summary":"Maeve"},
                     "escalation_policy":{"id":"PJFWPEP","type":"escalation_policy_reference","summary":"The Policy"},"message":"Please help me make the tests pass","state":"pending","type":"incident_responder"}}}
            """u8.ToArray();

        var e = Parse(body);

        Assert.Equal(PagerDutyEventKind.ResponderAdded, e.Kind);
        Assert.Equal("Maeve", e.Responder?.User?.Summary);
        Assert.Equal("pending", e.Responder?.State);
        Assert.Equal("PGR0VU2", e.IncidentId);
    }

    [Fact]
    public void A_ping_is_recognised()
    {
        var e = Parse("""{"event":{"id":"01PING","event_type":"pagey.ping","resource_type":"pagey","occurred_at":"2021-12-08T22:22:52.123Z","agent":null,"client":null,"data":{"message":"Hello from your friend Pagey!","type":"ping"}}}"""u8.ToArray());

        Assert.Equal(PagerDutyEventKind.Ping, e.Kind);
        Assert.Equal("Hello from your friend Pagey!", e.PingMessage);
        Assert.Null(e.IncidentId);
    }

    [Fact]
    public void An_unknown_event_type_is_read_and_marked_other()
    {
        var e = Parse("""{"event":{"id":"01BRB6ZP4M6T8ZG4X6BP63ZB9O","event_type":"service.updated","resource_type":"service","occurred_at":"2021-03-02T13:35:11.682Z","agent":null,"client":null,"data":{"id":"PF9KMXH","type":"service","summary":"testing service updates"}}}"""u8.ToArray());

        Assert.Equal(PagerDutyEventKind.Other, e.Kind);
        Assert.Equal("service.updated", e.EventType);
        Assert.Null(e.Incident);
    }

    [Fact]
    public void Missing_and_oddly_typed_fields_are_left_empty()
    {
        var e = Parse("""{"event":{"id":"01X","event_type":"incident.acknowledged","occurred_at":"not a time","agent":"someone","data":{"id":"Q1","type":"incident","number":"7","assignees":[null,{"summary":"no id"},{"id":"U1"}],"service":[]}}}"""u8.ToArray());

        Assert.Null(e.OccurredAt);
        Assert.Null(e.Agent);
        Assert.Equal(7, e.Incident?.Number);
        Assert.Equal(["U1"], e.Incident!.Assignees.Select(a => a.Id));
        Assert.Null(e.Incident.Service);
        Assert.Null(e.Incident.Status);
    }

    [Theory]
    [InlineData("", "The body is not JSON.")]
    [InlineData("{\"event\":", "The body is not JSON.")]
    [InlineData("[]", "The body has no 'event' object (is this a V3 webhook?).")]
    [InlineData("{\"messages\":[]}", "The body has no 'event' object (is this a V3 webhook?).")]
    [InlineData("{\"event\":{\"event_type\":\"incident.triggered\"}}", "The event has no 'id' or 'event_type'.")]
    [InlineData("{\"event\":{\"id\":\"x\"}}", "The event has no 'id' or 'event_type'.")]
    public void A_body_that_is_not_a_v3_event_is_refused_with_the_reason(string body, string reason)
    {
        Assert.Null(PagerDutyWebhookParser.Parse(Encoding.UTF8.GetBytes(body), out var error));
        Assert.Equal(reason, error);
    }
}
