using Bot.Testing;
using Bot.Integrations.Slack;
using System.Text.Json;
using Bot.Integrations.Slack.BlockKit;
using Bot.Integrations.Slack.WebApi;
using Bot.Testing.Slack;
using Bot.Workflows.Messages;

namespace Bot.Integrations.Tests.Slack;

public class SlackResponseUrlClientTests
{
    [Fact]
    public async Task An_ephemeral_answer_is_posted_to_the_response_url()
    {
        await using var slack = await SlackApiHarness.StartAsync();

        await slack.Get<SlackResponseUrlClient>().PostAsync(slack.Fake.ResponseUrl("r1"),
            new SlackMessage { Text = "fallback", Blocks = [SectionBlock.Markdown("*hi*")] }, CancellationToken.None);

        var call = Assert.Single(slack.Fake.Requests, r => r.Path == "/response/r1");
        var body = JsonDocument.Parse(call.Body).RootElement;
        Assert.Equal("ephemeral", body.GetProperty("response_type").GetString());
        Assert.Equal("fallback", body.GetProperty("text").GetString());
        Assert.Equal("section", body.GetProperty("blocks")[0].GetProperty("type").GetString());
        Assert.False(body.GetProperty("replace_original").GetBoolean());
        Assert.Empty(call.Authorization ?? "");
    }

    [Fact]
    public async Task An_in_channel_replacement_says_so()
    {
        await using var slack = await SlackApiHarness.StartAsync();

        await slack.Get<SlackResponseUrlClient>().PostAsync(slack.Fake.ResponseUrl("r2"),
            ChatMessage.InChannel("Approved") with { ReplaceOriginal = true }, CancellationToken.None);

        var body = JsonDocument.Parse(Assert.Single(slack.Fake.Requests).Body).RootElement;
        Assert.Equal("in_channel", body.GetProperty("response_type").GetString());
        Assert.True(body.GetProperty("replace_original").GetBoolean());
    }

    [Fact]
    public async Task An_expired_response_url_is_an_error_with_its_code()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("/response/old", new ScriptedResponse(404, """{"ok":false,"error":"expired_url"}"""));

        var error = await Assert.ThrowsAsync<SlackApiException>(() =>
            slack.Get<SlackResponseUrlClient>().PostAsync(slack.Fake.ResponseUrl("old"), ChatMessage.EphemeralText("late"), CancellationToken.None));

        Assert.Equal("expired_url", error.ErrorCode);
    }

    [Theory]
    [InlineData("https://evil.example/hook")]
    [InlineData("http://hooks.slack.com/commands/1")]
    [InlineData("https://hooks.slack.com.evil.example/x")]
    [InlineData("file:///etc/passwd")]
    [InlineData("not a url")]
    public async Task A_response_url_off_slack_is_refused_and_nothing_is_sent(string url)
    {
        await using var slack = await SlackApiHarness.StartAsync();

        var error = await Assert.ThrowsAsync<SlackApiException>(() =>
            slack.Get<SlackResponseUrlClient>().PostAsync(url, ChatMessage.EphemeralText("x"), CancellationToken.None));

        Assert.Equal("invalid_response_url", error.ErrorCode);
        Assert.Empty(slack.Fake.Requests);
    }

    [Theory]
    [InlineData("https://hooks.slack.com/commands/T1/2/3")]
    [InlineData("https://slack.com/x")]
    [InlineData("http://127.0.0.1:5000/response/1")]
    public void Slack_and_loopback_response_urls_are_accepted(string url)
    {
        Assert.True(SlackResponseUrlClient.IsAllowed(url, out _));
    }
}
