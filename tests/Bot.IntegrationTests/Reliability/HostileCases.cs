using System.Net;
using System.Text;
using Bot.Testing.Slack;

namespace Bot.IntegrationTests.Reliability;

/// <summary>What a hostile request may leave in the audit trail: nothing, the record every accepted command leaves, or the refusal of a person's click.</summary>
public enum Trace { Nothing, CommandRecord, Refusal }

/// <summary>
/// One hostile request: the endpoint and what is wrong with it, how it is sent (<c>send(world, responseId)</c>, after
/// <c>before</c> when the case needs a first, genuine request), the documented answer — its status, and a sentence it
/// must say (in the ack or on <c>response_url</c>) — and the trace it may leave.
/// </summary>
public sealed record HostileCase(string Name, HttpStatusCode Status, Func<HostileWorld, string, Task<HttpResponseMessage>> Send, string? Says = null, Trace Leaves = Trace.Nothing,
    Func<HostileWorld, string, Task>? Before = null)
{
    private const string Commands = "/slack/commands";
    private const string Interactions = "/slack/interactions";
    private const string Events = "/slack/events";

    private static string SixMinutesAgo => DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static readonly SlackRequestSigner Forged = new("not-the-signing-secret-of-this-app");

    public static readonly IReadOnlyList<HostileCase> All =
    [
        // ---- /slack/commands
        new("commands: no signature", HttpStatusCode.Unauthorized, (w, id) => w.SendAsync(SlackRequestSigner.UnsignedPost(Commands, Utf8(w.CommandForm("help", id)), FormType))),
        new("commands: a signature made with another secret", HttpStatusCode.Unauthorized, (w, id) => w.SendAsync(Forged.Form(Commands, w.CommandForm("help", id)))),
        new("commands: a correct signature six minutes old", HttpStatusCode.Unauthorized, (w, id) => w.SendAsync(w.Signer.Form(Commands, w.CommandForm("help", id), SixMinutesAgo))),
        new("commands: signed JSON where Slack sends a form", HttpStatusCode.UnsupportedMediaType, (w, id) => w.SendAsync(w.Signer.Json(Commands, """{"command":"/sb","text":"help"}"""))),
        new("commands: a body over a megabyte", HttpStatusCode.RequestEntityTooLarge, (w, id) => w.SendAsync(w.Signer.Form(Commands, w.CommandForm(new string('a', 1024 * 1024), id)))),
        new("commands: a form without user or channel", HttpStatusCode.BadRequest, (w, id) => w.SendAsync(w.Signer.Form(Commands, "command=%2Fsb&text=deploy"))),
        new("commands: from another workspace", HttpStatusCode.Forbidden, (w, id) => w.SendAsync(w.Signer.Form(Commands, w.CommandForm("help", id, team: "T0EVIL")))),
        new("commands: an unknown verb", HttpStatusCode.OK, (w, id) => w.SendAsync(w.Signer.Form(Commands, w.CommandForm("self-destruct <!channel>", id))), "I don't know", Trace.CommandRecord),
        new("commands: a change outside the ops channel", HttpStatusCode.OK, (w, id) => w.SendAsync(w.Signer.Form(Commands, w.CommandForm("concurrency report-engine 1", id, channel: "C0RANDOM"))),
            "only in <#C0OPS>", Trace.CommandRecord),
        new("commands: an unclosed quote", HttpStatusCode.OK, (w, id) => w.SendAsync(w.Signer.Form(Commands, w.CommandForm("deploy user-management 8 --reason \"oops", id))), "quote", Trace.CommandRecord),
        new("commands: the same request again (a replay)", HttpStatusCode.OK, (w, id) => w.SendAsync(w.Signer.Form(Commands, w.CommandForm("help", id, triggerId: "replayed." + id), Replayed(id))),
            Before: async (w, id) => { using var first = await w.SendAsync(w.Signer.Form(Commands, w.CommandForm("help", id, triggerId: "replayed." + id), Replayed(id))); Assert.Equal(HttpStatusCode.OK, first.StatusCode); }),

        // ---- /slack/interactions
        new("interactions: no signature", HttpStatusCode.Unauthorized, (w, id) => w.SendAsync(SlackRequestSigner.UnsignedPost(Interactions, Utf8(w.ClickForm(HostileWorld.ApproveActionId, w.PendingApprove, "bob", id)), FormType))),
        new("interactions: a signature made with another secret", HttpStatusCode.Unauthorized, (w, id) => w.SendAsync(Forged.Form(Interactions, w.ClickForm(HostileWorld.ApproveActionId, w.PendingApprove, "bob", id)))),
        new("interactions: a correct signature six minutes old", HttpStatusCode.Unauthorized, (w, id) => w.SendAsync(w.Signer.Form(Interactions, w.ClickForm(HostileWorld.ApproveActionId, w.PendingApprove, "bob", id), SixMinutesAgo))),
        new("interactions: signed JSON where Slack sends a form", HttpStatusCode.UnsupportedMediaType, (w, id) => w.SendAsync(w.Signer.Json(Interactions, """{"type":"block_actions"}"""))),
        new("interactions: a body over a megabyte", HttpStatusCode.RequestEntityTooLarge, (w, id) => w.SendAsync(w.Signer.Form(Interactions, "payload=" + new string('a', 1024 * 1024)))),
        new("interactions: a truncated payload", HttpStatusCode.BadRequest, (w, id) => w.SendAsync(w.Signer.Form(Interactions, Truncated(w.ClickForm(HostileWorld.ApproveActionId, w.PendingApprove, "bob", id))))),
        new("interactions: from another workspace", HttpStatusCode.Forbidden, (w, id) => w.SendAsync(w.Signer.Form(Interactions, w.ClickForm(HostileWorld.ApproveActionId, w.PendingApprove, "bob", id, team: "T0EVIL")))),
        new("interactions: an action id nobody owns", HttpStatusCode.OK, (w, id) => w.SendAsync(w.Signer.Form(Interactions, w.ClickForm("wf:change:Detonate", w.PendingApprove, "bob", id))), "no longer"),
        new("interactions: a button value that is not a workflow's", HttpStatusCode.OK, (w, id) => w.SendAsync(w.Signer.Form(Interactions, w.ClickForm(HostileWorld.ApproveActionId, "{\"t\":\"change\"", "bob", id))), "not valid"),
        new("interactions: Approve on a cancelled change", HttpStatusCode.OK, (w, id) => w.SendAsync(w.Signer.Form(Interactions, w.ClickForm(HostileWorld.ApproveActionId, w.CancelledApprove, "bob", id))),
            "Cancelled", Trace.Refusal),
        new("interactions: Approve by someone without the approver role", HttpStatusCode.OK, (w, id) => w.SendAsync(w.Signer.Form(Interactions, w.ClickForm(HostileWorld.ApproveActionId, w.PendingApprove, "mallory", id))),
            "approver", Trace.Refusal),
        new("interactions: Approve by the requester", HttpStatusCode.OK, (w, id) => w.SendAsync(w.Signer.Form(Interactions, w.ClickForm(HostileWorld.ApproveActionId, w.PendingApprove, "alice", id))),
            "two-person rule", Trace.Refusal),
        new("interactions: the same click again (a replay)", HttpStatusCode.OK,
            (w, id) => w.SendAsync(w.Signer.Form(Interactions, w.ClickForm(HostileWorld.ApproveActionId, w.PendingApprove, "mallory", id, actionTs: "1796000000.000001"), Replayed(id))),
            Before: async (w, id) =>
            {
                using var first = await w.SendAsync(w.Signer.Form(Interactions, w.ClickForm(HostileWorld.ApproveActionId, w.PendingApprove, "mallory", id, actionTs: "1796000000.000001"), Replayed(id)));
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
                await w.Bot.Slack.WaitForAsync(r => r.Path == $"/response/{id}");
            }),

        // ---- /slack/events
        new("events: no signature", HttpStatusCode.Unauthorized, (w, id) => w.SendAsync(SlackRequestSigner.UnsignedPost(Events, Utf8(HostileWorld.EventJson()), JsonType))),
        new("events: a signature made with another secret", HttpStatusCode.Unauthorized, (w, id) => w.SendAsync(Forged.Json(Events, HostileWorld.EventJson()))),
        new("events: a correct signature six minutes old", HttpStatusCode.Unauthorized, (w, id) => w.SendAsync(w.Signer.Json(Events, HostileWorld.EventJson(), SixMinutesAgo))),
        new("events: a signed form where Slack sends JSON", HttpStatusCode.UnsupportedMediaType, (w, id) => w.SendAsync(w.Signer.Form(Events, "type=event_callback"))),
        new("events: a body over a megabyte", HttpStatusCode.RequestEntityTooLarge, (w, id) => w.SendAsync(w.Signer.Json(Events, HostileWorld.EventJson().Replace("deploy", new string('a', 1024 * 1024), StringComparison.Ordinal)))),
        new("events: truncated JSON", HttpStatusCode.BadRequest, (w, id) => w.SendAsync(w.Signer.Json(Events, Truncated(HostileWorld.EventJson())))),
        new("events: an event callback without its id", HttpStatusCode.BadRequest, (w, id) => w.SendAsync(w.Signer.Json(Events, HostileWorld.EventJson(eventId: null)))),
        new("events: from another workspace", HttpStatusCode.Forbidden, (w, id) => w.SendAsync(w.Signer.Json(Events, HostileWorld.EventJson(team: "T0EVIL", eventId: "Ev0" + id)))),
        new("events: an event type the bot does not take", HttpStatusCode.OK, (w, id) => w.SendAsync(w.Signer.Json(Events, HostileWorld.EventJson("channel_deleted", eventId: "Ev1" + id)))),

        // ---- /pagerduty/webhooks
        new("pagerduty: no signature", HttpStatusCode.Unauthorized, (w, id) => w.SendAsync(w.PagerDutyDelivery(HostileWorld.PagerDutyEvent("incident.triggered", "triggered"), signature: null))),
        new("pagerduty: a signature made with another secret", HttpStatusCode.Unauthorized,
            (w, id) => w.SendAsync(w.PagerDutyDelivery(HostileWorld.PagerDutyEvent("incident.triggered", "triggered"), signature: "v1=" + new string('0', 64)))),
        new("pagerduty: signed truncated JSON", HttpStatusCode.BadRequest, (w, id) => w.SendAsync(w.PagerDutyDelivery(Truncated(HostileWorld.PagerDutyEvent("incident.triggered", "triggered"))))),
        new("pagerduty: signed JSON that is not a V3 event", HttpStatusCode.BadRequest, (w, id) => w.SendAsync(w.PagerDutyDelivery("""{"messages":[]}"""))),
        new("pagerduty: a body over 512 KB", HttpStatusCode.RequestEntityTooLarge,
            (w, id) => w.SendAsync(w.PagerDutyDelivery(HostileWorld.PagerDutyEvent("incident.triggered", "triggered").Replace("hostile", new string('h', 600 * 1024), StringComparison.Ordinal)))),
        new("pagerduty: an event type the bot does not act on", HttpStatusCode.Accepted, (w, id) => w.SendAsync(w.PagerDutyDelivery(HostileWorld.PagerDutyEvent("service.updated", eventId: id), webhookId: id)), "ignored"),
        new("pagerduty: news of another team's incident", HttpStatusCode.Accepted,
            (w, id) => w.SendAsync(w.PagerDutyDelivery(HostileWorld.PagerDutyEvent("incident.triggered", "triggered", eventId: id, serviceId: "PPAYAPI"), webhookId: id)), "ignored"),
        new("pagerduty: news of a resolved incident the bot never followed", HttpStatusCode.Accepted, (w, id) => w.SendAsync(w.PagerDutyDelivery(HostileWorld.PagerDutyEvent("incident.resolved", eventId: id), webhookId: id)), "stored"),
        new("pagerduty: the same delivery again", HttpStatusCode.Accepted, (w, id) => w.SendAsync(w.PagerDutyDelivery(HostileWorld.PagerDutyEvent("incident.resolved", eventId: id), webhookId: id)), "duplicate",
            Before: async (w, id) => { using var first = await w.SendAsync(w.PagerDutyDelivery(HostileWorld.PagerDutyEvent("incident.resolved", eventId: id), webhookId: id)); }),

        // ---- probes: GET and HEAD only
        new("healthz: POST", HttpStatusCode.MethodNotAllowed, (w, id) => w.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/healthz") { Content = new StringContent("{}") })),
        new("readyz: DELETE", HttpStatusCode.MethodNotAllowed, (w, id) => w.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/readyz"))),
        new("healthz: GET with a hostile query", HttpStatusCode.OK, (w, id) => w.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/healthz?check=%3Cscript%3E&ready=%00%ff"))),
        new("readyz: HEAD", HttpStatusCode.OK, (w, id) => w.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/readyz"))),
    ];

    private const string FormType = "application/x-www-form-urlencoded";
    private const string JsonType = "application/json";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Stamps = new();

    /// <summary>One timestamp for both copies of a replay (by the case's response id): the second is byte for byte the first.</summary>
    private static string Replayed(string id) =>
        Stamps.GetOrAdd(id, _ => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));


    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The first two thirds of <paramref name="text"/>: JSON cut off in the middle.</summary>
    private static string Truncated(string text) => text[..(text.Length * 2 / 3)];

    public override string ToString() => Name;
}
