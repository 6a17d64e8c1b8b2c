using System.Net;
using System.Text.Json;
using Bot.IntegrationTests.Slack;
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

    public static async Task<ChangesOverSlack> StartAsync(Action<Dictionary<string, string?>>? settings = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null) =>
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
            s["Changes:MetricLag"] = "00:00:00"; // the sandbox publishes a minute as soon as it is complete
            settings?.Invoke(s);
        }, services));

    public async Task<HttpResponseMessage> CommandAsync(string text, string user, string responseId, string channel = Ops) =>
        await Bot.SendAsync(Bot.Signer.Form("/slack/commands", SlackRequestSigner.SlashCommandForm(text, Bot.Slack.ResponseUrl(responseId), userId: "U1" + user.ToUpperInvariant(), userName: user, channelId: channel)));

    /// <summary>The latest card (post or edit) that carries a button with <paramref name="actionId"/>, and that button's value.</summary>
    public async Task<string> ButtonValueAsync(string actionId, int atLeast = 1)
    {
        var requests = await Bot.Slack.WaitForAsync(r => r.Path is "/api/chat.postMessage" or "/api/chat.update" && r.Body.Contains($"\"action_id\":\"{actionId}\"", StringComparison.Ordinal), atLeast);
        return SlackClicks.ButtonValue(requests[^1].Body, actionId) ?? throw new InvalidOperationException($"No button {actionId}.");
    }

    /// <summary>Clicks a button as <paramref name="user"/> (a block_actions payload like Slack's, signed).</summary>
    public async Task<HttpResponseMessage> ClickAsync(string actionId, string value, string user, string responseId, string? actionTs = null) =>
        await Bot.SendAsync(Bot.Signer.Form("/slack/interactions", ClickForm(actionId, value, user, responseId, actionTs)));

    /// <summary>The form body of a click on a button as <paramref name="user"/> of <paramref name="teamId"/>, answered at <paramref name="responseId"/>.</summary>
    public string ClickForm(string actionId, string value, string user, string responseId, string? actionTs = null, string teamId = SlackBot.TeamId)
    {
        var payload = SlackClicks.Payload(teamId, "U1" + user.ToUpperInvariant(), user, Ops, actionId, value, Bot.Slack.ResponseUrl(responseId),
            actionTs ?? $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:F6}-{responseId}", "trigger-" + responseId);
        return SlackRequestSigner.InteractionForm(payload);
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
