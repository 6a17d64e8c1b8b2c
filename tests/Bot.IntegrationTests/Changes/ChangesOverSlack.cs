using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.IntegrationTests.Slack;
using Bot.Testing;
using Bot.Testing.Slack;

namespace Bot.IntegrationTests.Changes;

/// <summary>
/// A bot on the sandbox account with its ops channel and roles, driven over signed HTTP as people would: slash commands,
/// and clicks on the buttons of the cards it posted to the Slack fake.
/// </summary>
public sealed class ChangesOverSlack : IAsyncDisposable
{
    public const string Ops = "C0OPS";
    public const string Function = "securebase-prod-user-management";

    private ChangesOverSlack(SlackBot bot) => Bot = bot;

    public SlackBot Bot { get; }

    public static async Task<ChangesOverSlack> StartAsync(Action<Dictionary<string, string?>>? settings = null) =>
        new(await SlackBot.StartAsync(s =>
        {
            s["Sandbox:Enabled"] = "true";
            s["Slack:OpsChannelId"] = Ops;
            s["Rbac:Roles:approver:Users:0"] = "U1ALICE";
            s["Rbac:Roles:approver:Users:1"] = "U1BOB";
            s["Rbac:Roles:approver:Users:2"] = "U1CAROL";
            s["Rbac:Roles:tech-lead:Users:0"] = "U1BOB";
            s["Rbac:Roles:ops-manager:Users:0"] = "U1CAROL";
            // CloudWatch shows a minute once it is complete: a window of three minutes sees the new version's errors.
            s["Changes:VerifyWindow"] = "00:03:00";
            s["Changes:VerifyInterval"] = "00:00:05";
            settings?.Invoke(s);
        }));

    public async Task<HttpResponseMessage> CommandAsync(string text, string user, string responseId, string channel = Ops) =>
        await Bot.SendAsync(Bot.Signer.Form("/slack/commands", SlackRequestSigner.SlashCommandForm(text, Bot.Slack.ResponseUrl(responseId), userId: "U1" + user.ToUpperInvariant(), userName: user, channelId: channel)));

    /// <summary>The latest card (post or edit) that carries a button with <paramref name="actionId"/>, and that button's value.</summary>
    public async Task<string> ButtonValueAsync(string actionId, int atLeast = 1)
    {
        var requests = await Bot.Slack.WaitForAsync(r => r.Path is "/api/chat.postMessage" or "/api/chat.update" && r.Body.Contains($"\"action_id\":\"{actionId}\"", StringComparison.Ordinal), atLeast);
        var blocks = JsonDocument.Parse(requests[^1].Body).RootElement.GetProperty("blocks");
        foreach (var block in blocks.EnumerateArray())
        {
            if (block.GetProperty("type").GetString() != "actions") continue;
            foreach (var element in block.GetProperty("elements").EnumerateArray())
                if (element.GetProperty("action_id").GetString() == actionId) return element.GetProperty("value").GetString()!;
        }
        throw new InvalidOperationException($"No button {actionId}.");
    }

    /// <summary>Clicks a button as <paramref name="user"/> (a block_actions payload like Slack's, signed).</summary>
    public async Task<HttpResponseMessage> ClickAsync(string actionId, string value, string user, string responseId, string? actionTs = null) =>
        await Bot.SendAsync(Bot.Signer.Form("/slack/interactions", ClickForm(actionId, value, user, responseId, actionTs)));

    /// <summary>The form body of a click on a button as <paramref name="user"/> of <paramref name="teamId"/>, answered at <paramref name="responseId"/>.</summary>
    public string ClickForm(string actionId, string value, string user, string responseId, string? actionTs = null, string teamId = SlackBot.TeamId)
    {
        var node = JsonNode.Parse(Fixtures.ReadText("slack/payloads/block_actions.bolt-python.json"))!;
        node["team"]!["id"] = teamId;
        node["user"] = new JsonObject { ["id"] = "U1" + user.ToUpperInvariant(), ["username"] = user, ["name"] = user, ["team_id"] = teamId };
        node["channel"] = new JsonObject { ["id"] = Ops, ["name"] = "securebase-ops" };
        node["response_url"] = Bot.Slack.ResponseUrl(responseId);
        node["trigger_id"] = "trigger-" + responseId;
        var action = node["actions"]![0]!;
        action["action_id"] = actionId;
        action["value"] = value;
        action["action_ts"] = actionTs ?? $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:F6}-{responseId}";
        return SlackRequestSigner.InteractionForm(node.ToJsonString());
    }

    /// <summary>The text of the answer that went to <paramref name="responseId"/>'s response_url.</summary>
    public async Task<string> AnswerAsync(string responseId) =>
        JsonDocument.Parse(Assert.Single(await Bot.Slack.WaitForAsync(r => r.Path == $"/response/{responseId}")).Body).RootElement.GetProperty("text").GetString()!;

    /// <summary>Waits for a post or edit in the ops channel whose text contains <paramref name="text"/>.</summary>
    public Task<IReadOnlyList<RecordedRequest>> WaitForCardTextAsync(string text, TimeSpan? timeout = null) =>
        Bot.Slack.WaitForAsync(r => r.Path is "/api/chat.postMessage" or "/api/chat.update" && r.Body.Contains(text, StringComparison.Ordinal), timeout: timeout ?? TimeSpan.FromMinutes(4));

    public async ValueTask DisposeAsync() => await Bot.DisposeAsync();

    public static void Ok(HttpResponseMessage response) => Assert.Equal(HttpStatusCode.OK, response.StatusCode);
}
