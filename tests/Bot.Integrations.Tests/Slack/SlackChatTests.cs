using Bot.Testing;
using Bot.Integrations.Slack;
using System.Text.Json;
using Bot.Testing.Slack;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;
using static Bot.Workflows.Messages.Spans;

namespace Bot.Integrations.Tests.Slack;

public class SlackChatTests
{
    private static readonly Card Card = new()
    {
        Title = "Deploy securebase-prod-user-management",
        Tone = CardTone.Waiting,
        Status = Line.Of(User("U0ANA", "ana"), " asks to move ", Code("PROD"), " from ", Code("7"), " to ", Code("8")),
        Fields = [new CardField("Reason", Line.Of("ship <!here> & 1.8.0"))],
        Buttons = [new CardButton("Approve", "Approve", ButtonStyle.Primary)],
        Ref = new CardRef("change", "CHG-1", 3),
    };

    [Fact]
    public async Task Post_renders_the_card_to_blocks_and_returns_slacks_ts()
    {
        await using var slack = await SlackApiHarness.StartAsync();

        var ts = await slack.Get<SlackChat>().PostAsync("C0OPS", ChatContent.Of(Card), "1.000001", CancellationToken.None);

        var body = JsonDocument.Parse(Assert.Single(slack.Fake.Calls("chat.postMessage")).Body).RootElement;
        Assert.Equal("1700000000.000001", ts);
        Assert.Equal("1.000001", body.GetProperty("thread_ts").GetString());
        var blocks = body.GetProperty("blocks");
        Assert.Contains("<@U0ANA> asks to move `PROD` from `7` to `8`", blocks[0].GetProperty("text").GetProperty("text").GetString());
        var button = blocks[blocks.GetArrayLength() - 1].GetProperty("elements")[0];
        Assert.Equal("wf:change:Approve", button.GetProperty("action_id").GetString());
        Assert.Equal("""{"t":"change","i":"CHG-1","g":"Approve","v":3,"a":null}""", button.GetProperty("value").GetString());
    }

    [Fact]
    public async Task A_message_with_a_chart_is_uploaded_as_an_image_in_the_thread_with_its_text_as_the_comment()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        var start = new DateTimeOffset(2026, 11, 30, 14, 0, 0, TimeSpan.Zero);
        var chart = new Chart("securebase-prod-user-management, last hour", "per minute",
            [new ChartLine("Errors", [start, start.AddMinutes(1), start.AddMinutes(2)], [0, 12, 30])]);

        var ts = await slack.Get<SlackChat>().PostAsync("C0OPS", new ChatContent(Line.Of("📈 Errors <!here>")) { Chart = chart }, "1.000001", CancellationToken.None);

        Assert.Equal("1.000001", ts);
        Assert.Empty(slack.Fake.Calls("chat.postMessage"));
        var complete = Assert.Single(slack.Fake.Calls("files.completeUploadExternal")).Body;
        var form = System.Web.HttpUtility.ParseQueryString(complete);
        Assert.Equal(("C0OPS", "1.000001", "📈 Errors &lt;!here&gt;"), (form["channel_id"], form["thread_ts"], form["initial_comment"]));
        Assert.StartsWith("/upload/", Assert.Single(slack.Fake.Requests, r => r.Path.StartsWith("/upload/", StringComparison.Ordinal)).Path);
    }

    [Fact]
    public async Task Text_in_a_workflow_message_can_never_become_a_mention_or_a_link()
    {
        await using var slack = await SlackApiHarness.StartAsync();

        await slack.Get<SlackChat>().PostAsync("C0OPS", ChatContent.Of(Card), null, CancellationToken.None);

        var body = Assert.Single(slack.Fake.Calls("chat.postMessage")).Body;
        Assert.DoesNotContain("<!here>", body);
        Assert.Contains("ship &lt;!here&gt; &amp; 1.8.0", JsonDocument.Parse(body).RootElement.GetProperty("blocks")[1].GetRawText());
    }

    [Fact]
    public async Task A_thread_line_for_the_channel_too_is_a_broadcast_reply()
    {
        await using var slack = await SlackApiHarness.StartAsync();

        await slack.Get<SlackChat>().PostAsync("C0OPS", new ChatContent(Line.Of("Escalated to ", Strong("senior DevOps")), AlsoToChannel: true), "1.5", CancellationToken.None);

        var body = JsonDocument.Parse(Assert.Single(slack.Fake.Calls("chat.postMessage")).Body).RootElement;
        Assert.True(body.GetProperty("reply_broadcast").GetBoolean());
        Assert.Equal("Escalated to *senior DevOps*", body.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Update_edits_the_message_by_channel_and_ts()
    {
        await using var slack = await SlackApiHarness.StartAsync();

        await slack.Get<SlackChat>().UpdateAsync("C0OPS", "1.5", new ChatContent("Resolved"), CancellationToken.None);

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
            slack.Get<SlackChat>().PostAsync("C0OPS", new ChatContent("x"), null, CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(45), error.RetryAfter);
    }

    [Fact]
    public async Task Persistent_server_errors_become_a_transient_delivery_failure()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("chat.update", ScriptedResponse.ServerError(), ScriptedResponse.ServerError(), ScriptedResponse.ServerError());

        var error = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            slack.Get<SlackChat>().UpdateAsync("C0OPS", "1.5", new ChatContent("x"), CancellationToken.None));

        Assert.True(error.Transient);
    }

    [Fact]
    public async Task Ok_false_becomes_a_permanent_delivery_failure_with_slacks_code()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("chat.postMessage", ScriptedResponse.SlackError("channel_not_found"));

        var error = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            slack.Get<SlackChat>().PostAsync("C0GONE", new ChatContent("x"), null, CancellationToken.None));

        Assert.Equal("channel_not_found", error.ErrorCode);
        Assert.False(error.Transient);
    }
}
