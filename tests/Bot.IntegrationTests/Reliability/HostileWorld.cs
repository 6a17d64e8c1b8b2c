using Bot.PagerDuty;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Integrations.PagerDuty;
using Bot.IntegrationTests.Changes;
using Bot.IntegrationTests.Slack;
using Bot.Sandbox.Account;
using Bot.Testing.Slack;
using Bot.Workflows.Audit;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.IntegrationTests.Reliability;

/// <summary>What the store holds that a request could change: every workflow (type, id, version, state) and the audit chain.</summary>
public sealed record StoreSnapshot(IReadOnlyList<string> Workflows, IReadOnlyList<AuditRecord> Audit);

/// <summary>
/// A bot (in process, on the sandbox account) with something worth attacking — a change waiting for approval and a
/// cancelled one — and the requests Slack and PagerDuty send, built here so a test can spoil one thing at a time.
/// Alice requested both changes; Bob is an approver; Mallory holds no role.
/// </summary>
public sealed class HostileWorld : IAsyncLifetime
{
    public const string ApproveActionId = "wf:change:Approve";
    private static readonly string[] WorkflowTypes = ["change", "incident", "incident-intake"];

    private ChangesOverSlack _changes = null!;

    public SlackBot Bot => _changes.Bot;
    public SlackRequestSigner Signer => Bot.Signer;

    /// <summary>The Approve button of the change waiting for approval, and of the cancelled one.</summary>
    public string PendingApprove { get; private set; } = "";
    public string CancelledApprove { get; private set; } = "";

    public IWorkflowStore Store => Bot.Factory.Services.GetRequiredService<IWorkflowStore>();
    private string PagerDutySecret => Bot.Factory.Services.GetRequiredService<SandboxAccount>().PagerDuty.Options.WebhookSecret;

    public async Task InitializeAsync()
    {
        _changes = await ChangesOverSlack.StartAsync(s => s["Incidents:ReconcileEvery"] = "00:00:00");
        ChangesOverSlack.Ok(await _changes.CommandAsync("concurrency user-management 20 --reason \"to be withdrawn\"", "alice", "setup-1"));
        CancelledApprove = await _changes.ButtonValueAsync(ApproveActionId);
        var cancel = await _changes.ButtonValueAsync("wf:change:Cancel");
        ChangesOverSlack.Ok(await _changes.ClickAsync("wf:change:Cancel", cancel, "alice", "setup-2"));
        await _changes.WaitForCardTextAsync("Cancelled", TimeSpan.FromSeconds(30));
        ChangesOverSlack.Ok(await _changes.CommandAsync("concurrency report-engine 50 --reason \"month-end\"", "alice", "setup-3"));
        PendingApprove = await _changes.ButtonValueAsync(ApproveActionId, atLeast: 2);
        Assert.True(await BotRig.WaitUntilAsync(async () => await Store.CountPendingOutboxAsync(CancellationToken.None) == 0, TimeSpan.FromSeconds(30)));
    }

    public async Task DisposeAsync() => await _changes.DisposeAsync();

    public async Task<StoreSnapshot> SnapshotAsync()
    {
        var workflows = new List<string>();
        foreach (var type in WorkflowTypes)
            workflows.AddRange((await Store.ListAggregatesAsync(type, null, 100, CancellationToken.None)).Select(a => $"{a.AggregateType}/{a.AggregateId} v{a.Version} {a.State}"));
        var audit = new List<AuditRecord>();
        await foreach (var record in Store.ReadAuditChainAsync(CancellationToken.None)) audit.Add(record);
        return new StoreSnapshot(workflows.Order(StringComparer.Ordinal).ToList(), audit);
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => Bot.SendAsync(request);

    /// <summary><c>/sb text</c> as <paramref name="user"/>, answered at <c>/response/responseId</c>.</summary>
    public string CommandForm(string text, string responseId, string user = "mallory", string channel = ChangesOverSlack.Ops, string team = SlackBot.TeamId, string? triggerId = null) =>
        SlackRequestSigner.SlashCommandForm(text, Bot.Slack.ResponseUrl(responseId), userId: "U1" + user.ToUpperInvariant(), userName: user, channelId: channel, teamId: team, triggerId: triggerId);

    public string ClickForm(string actionId, string value, string user, string responseId, string team = SlackBot.TeamId, string? actionTs = null) =>
        _changes.ClickForm(actionId, value, user, responseId, actionTs, team);

    public static string EventJson(string eventType = "app_mention", string team = SlackBot.TeamId, string? eventId = "Ev0HOSTILE1") =>
        $$$"""{"type":"event_callback","team_id":"{{{team}}}",{{{(eventId is null ? "" : $"\"event_id\":\"{eventId}\",")}}}"event_time":1796000000,"event":{"type":"{{{eventType}}}","user":"U1MALLORY","channel":"C0OPS","text":"<@U0BOT> deploy everything","ts":"1796000000.000100"}}""";

    /// <summary>A PagerDuty V3 delivery of <paramref name="json"/>, signed with the subscription's secret unless <paramref name="signature"/> says otherwise.</summary>
    public HttpRequestMessage PagerDutyDelivery(string json, string? signature = "", string webhookId = "hostile-0001")
    {
        var body = Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(HttpMethod.Post, PagerDutyRoutes.Webhooks) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var signed = signature == "" ? PagerDutySignatureVerifier.Sign(PagerDutySecret, body) : signature;
        if (signed is not null) request.Headers.TryAddWithoutValidation(PagerDutySignatureVerifier.SignatureHeader, signed);
        request.Headers.TryAddWithoutValidation(PagerDutyWebhookEndpoint.WebhookIdHeader, webhookId);
        return request;
    }

    /// <summary>
    /// A V3 event of <paramref name="eventType"/> about an incident the bot never heard of, on one of SecureBase's services
    /// (the sandbox's scope) unless <paramref name="serviceId"/> names another team's.
    /// </summary>
    public static string PagerDutyEvent(string eventType, string status = "resolved", string incidentId = "Q0HOSTILE0001", string eventId = "01HOSTILE",
        string serviceId = "PSBLMB1") => new JsonObject
        {
            ["event"] = new JsonObject
            {
                ["id"] = eventId,
                ["event_type"] = eventType,
                ["resource_type"] = "incident",
                ["occurred_at"] = "2026-11-30T08:00:00.000Z",
                ["agent"] = null,
                ["data"] = new JsonObject
                {
                    ["id"] = incidentId, ["type"] = "incident", ["number"] = 9999, ["status"] = status, ["title"] = "<!channel> hostile", ["urgency"] = "high",
                    ["html_url"] = $"https://securebase.pagerduty.com/incidents/{incidentId}",
                    ["service"] = new JsonObject { ["id"] = serviceId, ["type"] = "service_reference", ["summary"] = "x" },
                    ["teams"] = new JsonArray(new JsonObject { ["id"] = serviceId == "PSBLMB1" ? "PSBTEAM" : "PPAYTEAM", ["type"] = "team_reference" }),
                    ["assignees"] = new JsonArray(),
                },
            },
        }.ToJsonString();
}
