using Bot.Testing;
using Bot.Tests;
using Bot.Integrations.Slack;
using Bot.Slack;
using System.Text.Json;
using Bot.Integrations.Slack.BlockKit;
using Bot.Integrations.Slack.WebApi;
using Bot.Testing.Slack;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Bot.Workflows.Messages;

namespace Bot.Tests.Slack;

public class SlackWebApiClientTests
{
    [Fact]
    public async Task Post_message_sends_bearer_token_and_block_kit_json_and_returns_the_ts()
    {
        await using var slack = await SlackApiHarness.StartAsync();

        var posted = await slack.Get<SlackWebApiClient>().PostMessageAsync("C0OPS", "Deploy requested",
            [HeaderBlock.Of("Deploy"), new ActionsBlock { Elements = [ButtonElement.Create("approve", "Approve", "chg-1", "primary")] }],
            threadTs: "1.000001", CancellationToken.None);

        var call = Assert.Single(slack.Fake.Calls("chat.postMessage"));
        Assert.Equal("Bearer " + SlackApiHarness.BotToken, call.Authorization);
        Assert.StartsWith("application/json", call.ContentType);
        var body = JsonDocument.Parse(call.Body).RootElement;
        Assert.Equal("C0OPS", body.GetProperty("channel").GetString());
        Assert.Equal("1.000001", body.GetProperty("thread_ts").GetString());
        Assert.Equal("header", body.GetProperty("blocks")[0].GetProperty("type").GetString());
        Assert.Equal("approve", body.GetProperty("blocks")[1].GetProperty("elements")[0].GetProperty("action_id").GetString());
        Assert.Equal(new PostedMessage("C0", "1700000000.000001"), posted);
    }

    [Fact]
    public async Task Ok_false_becomes_an_error_carrying_slacks_error_code()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("chat.update", ScriptedResponse.SlackError("message_not_found"));

        var error = await Assert.ThrowsAsync<SlackApiException>(() =>
            slack.Get<SlackWebApiClient>().UpdateMessageAsync("C0OPS", "1.2", "edited", null, CancellationToken.None));

        Assert.Equal("message_not_found", error.ErrorCode);
        Assert.Equal("chat.update", error.Method);
        Assert.False(error.Transient);
        Assert.Contains("message_not_found", error.Message);
        Assert.Single(slack.Fake.Calls("chat.update"));
    }

    [Fact]
    public async Task A_server_error_of_an_idempotent_call_is_retried_and_the_retry_succeeds()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("chat.update", ScriptedResponse.ServerError());

        var updated = await slack.Get<SlackWebApiClient>().UpdateMessageAsync("C0OPS", "1.0", "hi", null, CancellationToken.None);

        Assert.Equal(2, slack.Fake.Calls("chat.update").Count);
        Assert.False(string.IsNullOrEmpty(updated.Ts));
    }

    [Fact]
    public async Task Server_errors_that_outlast_the_retries_are_transient_failures()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("chat.update", ScriptedResponse.ServerError(), ScriptedResponse.ServerError(), ScriptedResponse.ServerError());

        var error = await Assert.ThrowsAsync<SlackApiException>(() =>
            slack.Get<SlackWebApiClient>().UpdateMessageAsync("C0OPS", "1.0", "hi", null, CancellationToken.None));

        Assert.Equal("http_500", error.ErrorCode);
        Assert.True(error.Transient);
        Assert.Equal(3, slack.Fake.Calls("chat.update").Count);
    }

    [Fact]
    public async Task A_post_answered_with_a_server_error_is_not_repeated_below_the_outbox()
    {
        // Slack may have posted it before failing: a second chat.postMessage would be a second message.
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("chat.postMessage", ScriptedResponse.ServerError());

        var error = await Assert.ThrowsAsync<SlackApiException>(() =>
            slack.Get<SlackWebApiClient>().PostMessageAsync("C0OPS", "hi", null, null, CancellationToken.None));

        Assert.True(error.Transient);
        Assert.Single(slack.Fake.Calls("chat.postMessage"));
    }

    [Theory]
    [InlineData("https://slack.com/api/chat.postMessage", false)]
    [InlineData("https://slack.com/api/chat.postEphemeral", false)]
    [InlineData("https://slack.com/api/files.completeUploadExternal", false)]
    [InlineData("https://slack.com/api/chat.update", true)]
    [InlineData("https://slack.com/api/users.info?user=U1", true)]
    public void A_timed_out_attempt_is_repeated_only_when_the_method_is_idempotent(string url, bool repeated)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        var timedOut = Polly.Outcome.FromException<HttpResponseMessage>(new Polly.Timeout.TimeoutRejectedException());

        Assert.Equal(repeated, SlackResilience.ShouldRetry(timedOut, TimeSpan.FromSeconds(30), request));
    }

    [Fact]
    public void A_post_whose_connection_never_opened_is_repeated()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://slack.com/api/chat.postMessage");
        var refused = Polly.Outcome.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "refused"));

        Assert.True(SlackResilience.ShouldRetry(refused, TimeSpan.FromSeconds(30), request));
    }

    [Fact]
    public async Task A_short_rate_limit_is_waited_out_and_retried()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("chat.postMessage", ScriptedResponse.RateLimited(0));

        await slack.Get<SlackWebApiClient>().PostMessageAsync("C0OPS", "hi", null, null, CancellationToken.None);

        Assert.Equal(2, slack.Fake.Calls("chat.postMessage").Count);
    }

    [Fact]
    public async Task A_long_rate_limit_is_handed_back_with_slacks_retry_after()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("chat.postMessage", ScriptedResponse.RateLimited(120));

        var error = await Assert.ThrowsAsync<SlackRateLimitedException>(() =>
            slack.Get<SlackWebApiClient>().PostMessageAsync("C0OPS", "hi", null, null, CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Single(slack.Fake.Calls("chat.postMessage"));
    }

    [Fact]
    public async Task File_upload_gets_an_upload_url_sends_the_bytes_there_and_completes_into_the_thread()
    {
        await using var slack = await SlackApiHarness.StartAsync();

        var fileId = await slack.Get<SlackWebApiClient>().UploadFileAsync("C0OPS", "cost.csv", "Cost by service", "service,usd\nlambda,12.5\n"u8.ToArray(),
            "Last 7 days", "1.000001", CancellationToken.None);

        var ask = Assert.Single(slack.Fake.Calls("files.getUploadURLExternal"));
        Assert.StartsWith("application/x-www-form-urlencoded", ask.ContentType);
        Assert.Contains("filename=cost.csv", ask.Body);
        Assert.Contains("length=24", ask.Body);
        var upload = Assert.Single(slack.Fake.Requests, r => r.Path == $"/upload/{fileId}");
        Assert.Equal("service,usd\nlambda,12.5\n", upload.Body);
        var complete = Assert.Single(slack.Fake.Calls("files.completeUploadExternal"));
        var form = Bot.Slack.SlackPayloads.ParseForm(System.Text.Encoding.UTF8.GetBytes(complete.Body));
        Assert.Equal("C0OPS", form["channel_id"]);
        Assert.Equal("1.000001", form["thread_ts"]);
        Assert.Equal("Last 7 days", form["initial_comment"]);
        var files = JsonDocument.Parse(form["files"]).RootElement;
        Assert.Equal(fileId, files[0].GetProperty("id").GetString());
        Assert.Equal("Cost by service", files[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task Users_info_and_usergroup_members_are_read()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("usergroups.users.list", new ScriptedResponse(200, """{"ok":true,"users":["U1","U2"]}"""));
        var client = slack.Get<SlackWebApiClient>();

        var user = await client.UserInfoAsync("U0", CancellationToken.None);
        var members = await client.UserGroupMembersAsync("S0SENIOR", CancellationToken.None);

        Assert.Equal("someone", user.Name);
        Assert.Equal(["U1", "U2"], members);
        Assert.Equal("/api/users.info", Assert.Single(slack.Fake.Calls("users.info")).Path);
        Assert.Single(slack.Fake.Calls("usergroups.users.list"));
    }

    [Fact]
    public async Task Views_open_and_ephemeral_messages_are_sent_as_json()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        var client = slack.Get<SlackWebApiClient>();

        var viewId = await client.OpenViewAsync("trigger-1", new ModalView { CallbackId = "deploy-form", Title = TextObject.Plain("Deploy") }, CancellationToken.None);
        await client.PostEphemeralAsync("C0OPS", "U1", "only you", null, null, CancellationToken.None);

        Assert.Equal("V1", viewId);
        var open = JsonDocument.Parse(Assert.Single(slack.Fake.Calls("views.open")).Body).RootElement;
        Assert.Equal("trigger-1", open.GetProperty("trigger_id").GetString());
        Assert.Equal("deploy-form", open.GetProperty("view").GetProperty("callback_id").GetString());
        var ephemeral = JsonDocument.Parse(Assert.Single(slack.Fake.Calls("chat.postEphemeral")).Body).RootElement;
        Assert.Equal("U1", ephemeral.GetProperty("user").GetString());
    }

    [Fact]
    public async Task The_api_base_url_may_be_given_without_a_trailing_slash()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        await using var other = await SlackApiHarness.StartAsync(slack.Fake.ApiBaseUrl.TrimEnd('/'));

        await other.Get<SlackWebApiClient>().PostMessageAsync("C0OPS", "hi", null, null, CancellationToken.None);

        Assert.Single(slack.Fake.Calls("chat.postMessage"));
    }
}

public class SlackWebApiClientWithoutTokenTests
{
    [Fact]
    public async Task Without_a_bot_token_a_call_says_slack_is_not_configured_and_sends_nothing()
    {
        await using var fake = await SlackApiFake.StartAsync();
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Slack:ApiBaseUrl"] = fake.ApiBaseUrl }).Build();
        await using var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddLogging()
            .AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(configuration)
            .AddSlackWebApi()
            .BuildServiceProvider();

        var error = await Assert.ThrowsAsync<Bot.Integrations.IntegrationException>(() =>
            services.GetRequiredService<SlackWebApiClient>().PostMessageAsync("C1", "hi", null, null, CancellationToken.None));

        Assert.Contains("Slack__BotToken", error.Message);
        Assert.Empty(fake.Requests);
    }
}
