using Bot.Commands.Incidents;
using Bot.Integrations.Slack;
using System.Net;
using System.Text.Json.Nodes;
using Bot.IntegrationTests.Slack;
using Bot.Sandbox.Account;
using Bot.Sandbox.PagerDuty;
using Bot.Testing;
using Bot.Testing.Slack;
using Bot.Workflows.Incidents;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.IntegrationTests.Incidents;

/// <summary>
/// The whole bot against its sandbox: a page becomes a signed <c>incident.triggered</c> webhook over HTTP, the thread
/// appears in Slack with its runbook and diagnostics, nobody acknowledges and it escalates through the levels on the
/// bot's clock (seconds here), PagerDuty is escalated through its API each time, and Acknowledge in Slack reaches
/// PagerDuty as the clicker — once, its webhook echo changing nothing more. The message shortcut <em>Add to incident
/// timeline</em> on a message of the thread becomes a note in PagerDuty, as the person who used it, shown in the thread once.
/// </summary>
public sealed class IncidentThreadTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static void Settings(Dictionary<string, string?> settings)
    {
        settings["Sandbox:Enabled"] = "true";
        settings["Slack:OpsChannelId"] = "C0OPS";
        settings["Escalation:Clock"] = "bot";
        for (var level = 0; level < 3; level++) settings[$"Escalation:Levels:{level}:RespondWithin"] = "00:00:02";
        settings["Escalation:Levels:3:RespondWithin"] = "00:10:00";
        settings["Escalation:Levels:0:Notify"] = "S0DEVOPS";
        settings["Incidents:NudgeBefore"] = "00:00:00";
        settings["Rbac:Roles:responder:Users:0"] = "U0ALICE";
    }

    private static Func<RecordedRequest, bool> Posted(string text) => r => r.Path == "/api/chat.postMessage" && r.Body.Contains(text, StringComparison.Ordinal);

    [Fact]
    public async Task A_page_becomes_a_thread_with_runbook_and_diagnostics_that_escalates_on_time_until_acknowledged_once_from_slack()
    {
        await using var bot = await SlackBot.StartAsync(Settings);
        _ = bot.Client;
        var account = bot.Factory.Services.GetRequiredService<SandboxAccount>();
        var store = bot.Factory.Services.GetRequiredService<IWorkflowStore>();
        await WaitUntil(() => account.PagerDuty.Webhooks.Enabled);
        bot.Slack.Script("users.info", new ScriptedResponse(200, """{"ok":true,"user":{"id":"U0ALICE","name":"alice","profile":{"email":"alice@securebase.example"}}}"""));

        var paged = PagerDutyScenarios.Page(account, PagerDutyScenarios.LambdaErrors);

        await bot.Slack.WaitForAsync(Posted($"Incident #{paged.Incident.Number}"), timeout: Patience);
        await bot.Slack.WaitForAsync(Posted("Runbook: Lambda function errors"), timeout: Patience);
        await bot.Slack.WaitForAsync(Posted("Diagnostics: Lambda function errors"), timeout: Patience);
        await bot.Slack.WaitForAsync(r => r.Path == "/api/files.completeUploadExternal", timeout: Patience);
        await bot.Slack.WaitForAsync(Posted(" to level 4 (VP engineering)"), timeout: Patience);
        var escalated = Load(store, paged.Incident.Id);
        Assert.Equal(4, account.PagerDuty.Incident(paged.Incident.Id)!.Level);
        Assert.Equal(3, escalated.Data.Escalations.Count);
        Assert.All(escalated.Data.Escalations.Zip(escalated.Data.Escalations.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(2)));

        using var click = await bot.SendAsync(bot.Signer.Form("/slack/interactions", SlackRequestSigner.InteractionForm(Click(bot, escalated))));
        Assert.Equal(HttpStatusCode.OK, click.StatusCode);

        await bot.Slack.WaitForAsync(Posted("Acknowledged* by "), timeout: Patience);
        var incident = account.PagerDuty.Incident(paged.Incident.Id)!;
        Assert.Equal("acknowledged", incident.Status);
        await WaitUntil(() => account.PagerDuty.Webhooks.Log.Any(d => d.EventType == "incident.acknowledged" && d.Outcome == "delivered"));
        await WaitUntil(() => store.ListPendingWorkAsync(Bot.PagerDuty.PagerDutyInbox.Queue, 10, CancellationToken.None).Result.Count == 0
                              && store.CountPendingOutboxAsync(CancellationToken.None).Result == 0);
        Assert.Single(bot.Slack.Calls("chat.postMessage"), r => r.Body.Contains("Acknowledged*", StringComparison.Ordinal));
        Assert.Equal(IncidentState.Acknowledged, Load(store, paged.Incident.Id).CurrentState);
    }

    [Fact]
    public async Task A_message_of_an_incidents_thread_reaches_pagerdutys_timeline_as_the_person_and_the_thread_once()
    {
        await using var bot = await SlackBot.StartAsync(Settings);
        _ = bot.Client;
        var account = bot.Factory.Services.GetRequiredService<SandboxAccount>();
        var store = bot.Factory.Services.GetRequiredService<IWorkflowStore>();
        await WaitUntil(() => account.PagerDuty.Webhooks.Enabled);
        bot.Slack.Script("users.info", new ScriptedResponse(200, """{"ok":true,"user":{"id":"U0ALICE","name":"alice","profile":{"email":"alice@securebase.example"}}}"""));
        var paged = PagerDutyScenarios.Page(account, PagerDutyScenarios.LambdaErrors);
        await bot.Slack.WaitForAsync(Posted($"Incident #{paged.Incident.Number}"), timeout: Patience);
        SentMessage? card = null;
        await WaitUntil(() => (card = store.FindSentAsync($"{Incident.Type}/{paged.Incident.Id}/card", CancellationToken.None).Result) is not null);

        using var used = await bot.SendAsync(bot.Signer.Form("/slack/interactions", SlackRequestSigner.InteractionForm(Shortcut(bot, card!.Ts))));
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);

        await WaitUntil(() => account.PagerDuty.Incident(paged.Incident.Id)!.Notes.Count == 1);
        var note = Assert.Single(account.PagerDuty.Incident(paged.Incident.Id)!.Notes);
        Assert.Equal((PagerDutyDirectory.Alice.Email, "Rolled back to v41 @bob & errors dropping (a message by @U0BOB in the incident's Slack thread)"),
            (note.User.Email, note.Content));
        await WaitUntil(() => account.PagerDuty.Webhooks.Log.Any(d => d.EventType == "incident.annotated" && d.Outcome == "delivered"));
        await WaitUntil(() => store.ListPendingWorkAsync(Bot.PagerDuty.PagerDutyInbox.Queue, 10, CancellationToken.None).Result.Count == 0
                              && store.CountPendingOutboxAsync(CancellationToken.None).Result == 0);
        var line = Assert.Single(bot.Slack.Calls("chat.postMessage"), r => r.Body.Contains("Rolled back to v41", StringComparison.Ordinal));
        // The person's text reaches the thread as text: the mention Slack sent is no longer a mention, the ampersand is escaped.
        Assert.Contains("@bob &amp; errors dropping", line.Body, StringComparison.Ordinal);
        Assert.Contains(card.Ts, line.Body, StringComparison.Ordinal);
    }

    /// <summary>Alice uses the shortcut on Bob's message in the incident's thread, as Slack would send it.</summary>
    private static string Shortcut(SlackBot bot, string threadTs)
    {
        var payload = JsonNode.Parse(Fixtures.ReadText("added/slack/message_action.bolt-python.json"))!.AsObject();
        payload.Remove("_source");
        payload["team"]!["id"] = SlackBot.TeamId;
        payload["user"] = new JsonObject { ["id"] = "U0ALICE", ["name"] = "alice", ["team_id"] = SlackBot.TeamId };
        payload["channel"] = new JsonObject { ["id"] = "C0OPS", ["name"] = "securebase-ops" };
        payload["callback_id"] = AddToTimelineShortcut.CallbackId;
        payload["response_url"] = bot.Slack.ResponseUrl("shortcut");
        payload["message_ts"] = "1896530385.000200";
        payload["message"] = new JsonObject
        {
            ["type"] = "message", ["user"] = "U0BOB", ["ts"] = "1896530385.000200", ["thread_ts"] = threadTs,
            ["text"] = "Rolled back to v41 <@U0BOB|bob> &amp; errors dropping",
        };
        return payload.ToJsonString();
    }

    private static Incident Load(IWorkflowStore store, string id) =>
        (Incident)Incident.Definition.Restore(store.LoadAsync(Incident.Type, id, CancellationToken.None).Result!);

    /// <summary>Alice's click on the card's Acknowledge button, as Slack would send it.</summary>
    private static string Click(SlackBot bot, Incident incident)
    {
        var payload = JsonNode.Parse(Fixtures.ReadText("slack/payloads/block_actions.bolt-python.json"))!;
        payload["team"]!["id"] = SlackBot.TeamId;
        payload["user"] = new JsonObject { ["id"] = "U0ALICE", ["username"] = "alice", ["name"] = "alice", ["team_id"] = SlackBot.TeamId };
        payload["channel"] = new JsonObject { ["id"] = "C0OPS", ["name"] = "securebase-ops" };
        payload["response_url"] = bot.Slack.ResponseUrl("ack");
        var action = payload["actions"]![0]!;
        action["action_id"] = ButtonPayload.ActionId(Incident.Type, nameof(IncidentTrigger.Acknowledge));
        action["value"] = new ButtonPayload(Incident.Type, incident.Id, nameof(IncidentTrigger.Acknowledge), incident.CardVersion).ToJson();
        action["action_ts"] = "1796530385.194939";
        return payload.ToJsonString();
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (!condition()) await Task.Delay(20, cts.Token);
    }
}
