using System.Net;
using System.Text.Json.Nodes;
using Bot.Commands.Incidents;
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
/// The message shortcut over signed HTTP against the sandbox's PagerDuty: a message of an incident's thread becomes a note
/// in PagerDuty, written as the person who used the shortcut, and the thread shows it once though PagerDuty's webhook tells
/// of it again.
/// </summary>
public sealed class IncidentTimelineShortcutTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static void Settings(Dictionary<string, string?> settings)
    {
        settings["Sandbox:Enabled"] = "true";
        settings["Slack:OpsChannelId"] = "C0OPS";
        settings["Escalation:Clock"] = "bot";
        settings["Incidents:NudgeBefore"] = "00:00:00";
        settings["Rbac:Roles:responder:Users:0"] = "U0ALICE";
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
        await bot.Slack.WaitForAsync(r => r.Path == "/api/chat.postMessage" && r.Body.Contains($"Incident #{paged.Incident.Number}", StringComparison.Ordinal), timeout: Patience);
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

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (!condition()) await Task.Delay(20, cts.Token);
    }
}
