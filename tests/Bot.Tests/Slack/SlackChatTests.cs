using System.Text.Json;
using Bot.Commands.Slack;
using Bot.Testing.Slack;
using Bot.Workflows.Ports;

namespace Bot.Tests.Slack;

public class SlackChatTests
{
    [Fact]
    public async Task Post_returns_slacks_ts_and_passes_the_blocks_through_unchanged()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        const string blocks = """[{"type":"rich_text","elements":[]},{"type":"divider"}]""";

        var ts = await slack.Get<SlackChat>().PostAsync("C0OPS", "Incident #7", blocks, "1.000001", CancellationToken.None);

        var body = JsonDocument.Parse(Assert.Single(slack.Fake.Calls("chat.postMessage")).Body).RootElement;
        Assert.Equal("1700000000.000001", ts);
        Assert.Equal("rich_text", body.GetProperty("blocks")[0].GetProperty("type").GetString());
        Assert.Equal("1.000001", body.GetProperty("thread_ts").GetString());
    }

    [Fact]
    public async Task Update_edits_the_message_by_channel_and_ts()
    {
        await using var slack = await SlackApiHarness.StartAsync();

        await slack.Get<SlackChat>().UpdateAsync("C0OPS", "1.5", "Resolved", null, CancellationToken.None);

        var body = JsonDocument.Parse(Assert.Single(slack.Fake.Calls("chat.update")).Body).RootElement;
        Assert.Equal("1.5", body.GetProperty("ts").GetString());
        Assert.Equal("Resolved", body.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_long_rate_limit_becomes_ChatRateLimitedException_with_the_delay()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("chat.postMessage", ScriptedResponse.RateLimited(45));

        var error = await Assert.ThrowsAsync<ChatRateLimitedException>(() =>
            slack.Get<SlackChat>().PostAsync("C0OPS", "x", null, null, CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(45), error.RetryAfter);
    }

    [Fact]
    public async Task Persistent_server_errors_become_a_transient_delivery_failure()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("chat.update", ScriptedResponse.ServerError(), ScriptedResponse.ServerError(), ScriptedResponse.ServerError());

        var error = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            slack.Get<SlackChat>().UpdateAsync("C0OPS", "1.5", "x", null, CancellationToken.None));

        Assert.True(error.Transient);
    }

    [Fact]
    public async Task Ok_false_becomes_a_permanent_delivery_failure_with_slacks_code()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("chat.postMessage", ScriptedResponse.SlackError("channel_not_found"));

        var error = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            slack.Get<SlackChat>().PostAsync("C0GONE", "x", null, null, CancellationToken.None));

        Assert.Equal("channel_not_found", error.ErrorCode);
        Assert.False(error.Transient);
    }

    [Theory]
    [InlineData("{\"type\":\"divider\"}")]
    [InlineData("[{\"type\":")]
    public async Task Blocks_that_are_not_a_json_array_fail_permanently_without_calling_slack(string blocks)
    {
        await using var slack = await SlackApiHarness.StartAsync();

        var error = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            slack.Get<SlackChat>().PostAsync("C0OPS", "x", blocks, null, CancellationToken.None));

        Assert.Equal("invalid_blocks", error.ErrorCode);
        Assert.False(error.Transient);
        Assert.Empty(slack.Fake.Requests);
    }
}
