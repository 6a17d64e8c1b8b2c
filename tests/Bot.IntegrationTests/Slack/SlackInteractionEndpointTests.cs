using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Testing;
using Bot.Testing.Slack;

namespace Bot.IntegrationTests.Slack;

public class SlackInteractionEndpointTests
{
    /// <summary>A fixture payload moved into our workspace, with its response_url pointed at the fake.</summary>
    private static string Payload(string fixture, SlackBot bot, string responseId, Action<JsonNode>? edit = null)
    {
        var node = JsonNode.Parse(Fixtures.ReadText(fixture))!;
        node["team"]!["id"] = SlackBot.TeamId;
        if (node["response_url"] is not null) node["response_url"] = bot.Slack.ResponseUrl(responseId);
        edit?.Invoke(node);
        return node.ToJsonString();
    }

    [Fact]
    public async Task A_button_click_from_bolts_example_reaches_the_handler_that_owns_its_action_id()
    {
        await using var bot = await SlackBot.StartAsync();
        var payload = Payload("slack/payloads/block_actions.bolt-python.json", bot, "click", p => p["actions"]![0]!["action_id"] = ProbeInteraction.Approve);

        using var response = await bot.SendAsync(bot.Signer.Form("/slack/interactions", SlackRequestSigner.InteractionForm(payload)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(Assert.Single(await bot.Slack.WaitForAsync(r => r.Path == "/response/click")).Body).RootElement;
        Assert.Equal("block_actions probe-approve by primary-owner in C111/111.222: click_me_123 ", answer.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_click_on_a_button_nobody_owns_is_answered_that_it_is_no_longer_handled()
    {
        await using var bot = await SlackBot.StartAsync();
        var payload = Payload("slack/payloads/block_actions.bolt-python.json", bot, "stale-button");

        using var response = await bot.SendAsync(bot.Signer.Form("/slack/interactions", SlackRequestSigner.InteractionForm(payload)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = Assert.Single(await bot.Slack.WaitForAsync(r => r.Path == "/response/stale-button"));
        Assert.Contains("no longer handled", answer.Body);
    }

    [Fact]
    public async Task A_modal_submission_reaches_its_handler_with_the_input_values_and_answers_in_the_users_dm()
    {
        await using var bot = await SlackBot.StartAsync();
        var payload = Payload("slack/payloads/view_submission.bolt-python.json", bot, "unused", p => p["view"]!["callback_id"] = ProbeInteraction.Form);

        using var response = await bot.SendAsync(bot.Signer.Form("/slack/interactions", SlackRequestSigner.InteractionForm(payload)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var post = JsonDocument.Parse(Assert.Single(await bot.Slack.WaitForAsync(r => r.Path == "/api/chat.postMessage")).Body).RootElement;
        Assert.Equal("W111", post.GetProperty("channel").GetString());
        Assert.Contains("view_submission probe-form by primary-owner", post.GetProperty("text").GetString());
        Assert.Contains("hspI.maBWU=test", post.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_form_encoded_shortcut_is_acknowledged_and_nothing_is_sent()
    {
        await using var bot = await SlackBot.StartAsync(settings: s => s["Slack:TeamId"] = "T111");

        using var response = await bot.SendAsync(bot.Signer.Form("/slack/interactions", Fixtures.ReadText("slack/payloads/shortcut.bolt-js.form.txt")));
        await bot.BarrierAsync(teamId: "T111");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(bot.Slack.Requests);
    }

    [Fact]
    public async Task A_click_from_another_workspace_gets_403()
    {
        await using var bot = await SlackBot.StartAsync();
        var payload = Payload("slack/payloads/block_actions.bolt-python.json", bot, "foreign", p => p["team"]!["id"] = "T111");

        using var response = await bot.SendAsync(bot.Signer.Form("/slack/interactions", SlackRequestSigner.InteractionForm(payload)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("payload=")]
    [InlineData("payload=%7Bnot-json")]
    [InlineData("nothing=here")]
    public async Task A_signed_but_unusable_interaction_gets_400(string form)
    {
        await using var bot = await SlackBot.StartAsync();

        using var response = await bot.SendAsync(bot.Signer.Form("/slack/interactions", form));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
