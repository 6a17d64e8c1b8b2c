using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Testing;

namespace Bot.IntegrationTests.Slack;

public class SlackEventEndpointTests
{
    private static string Mention(string eventId)
    {
        var node = JsonNode.Parse(Fixtures.ReadText("slack/payloads/event_callback.app_mention.bolt-python.json"))!;
        node["team_id"] = SlackBot.TeamId;
        node["event_id"] = eventId;
        return node.ToJsonString();
    }

    [Fact]
    public async Task Url_verification_is_answered_with_the_challenge()
    {
        await using var bot = await SlackBot.StartAsync();

        using var response = await bot.SendAsync(bot.Signer.Json("/slack/events", Fixtures.ReadText("slack/payloads/url_verification.bolt-python.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", body.GetProperty("challenge").GetString());
    }

    [Fact]
    public async Task An_app_mention_gets_a_threaded_pointer_to_sb_help()
    {
        await using var bot = await SlackBot.StartAsync();

        using var response = await bot.SendAsync(bot.Signer.Json("/slack/events", Mention("Ev1")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var post = JsonDocument.Parse(Assert.Single(await bot.Slack.WaitForAsync(r => r.Path == "/api/chat.postMessage")).Body).RootElement;
        Assert.Equal("C111", post.GetProperty("channel").GetString());
        Assert.Equal("1595926230.009600", post.GetProperty("thread_ts").GetString());
        Assert.Contains("/sb help", post.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_retried_event_is_acted_on_once()
    {
        await using var bot = await SlackBot.StartAsync();

        using var first = await bot.SendAsync(bot.Signer.Json("/slack/events", Mention("Ev2")));
        await bot.Slack.WaitForAsync(r => r.Path == "/api/chat.postMessage");
        var retry = bot.Signer.Json("/slack/events", Mention("Ev2"));
        retry.Headers.Add("X-Slack-Retry-Num", "1");
        retry.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        using var retried = await bot.SendAsync(retry);
        using var next = await bot.SendAsync(bot.Signer.Json("/slack/events", Mention("Ev3")));
        var posts = await bot.Slack.WaitForAsync(r => r.Path == "/api/chat.postMessage", count: 2);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(2, posts.Count);
    }

    [Fact]
    public async Task An_event_from_another_workspace_gets_403_and_asks_slack_not_to_retry()
    {
        await using var bot = await SlackBot.StartAsync();

        using var response = await bot.SendAsync(bot.Signer.Json("/slack/events", Fixtures.ReadText("slack/payloads/event_callback.app_mention.bolt-python.json")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("X-Slack-No-Retry").Single());
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[1,2]")]
    [InlineData("{\"type\":\"event_callback\",\"team_id\":\"T0TEAM\"}")]
    [InlineData("{\"type\":\"url_verification\"}")]
    public async Task A_signed_but_unusable_event_gets_400(string json)
    {
        await using var bot = await SlackBot.StartAsync();

        using var response = await bot.SendAsync(bot.Signer.Json("/slack/events", json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
