using System.Text.Json;
using Bot.Testing;

namespace Bot.IntegrationTests.Slack;

public class SocketModeTests
{
    private const string AppToken = "xapp-1-A111-socket-test";

    private static Task<SlackBot> StartSocketModeBotAsync() => SlackBot.StartAsync(settings: s =>
    {
        s["Slack:AppToken"] = AppToken;
        s["Slack:SigningSecret"] = null;
    });

    private static string SlashCommandEnvelope(string envelopeId, string text, string responseUrl) => JsonSerializer.Serialize(new
    {
        envelope_id = envelopeId,
        type = "slash_commands",
        accepts_response_payload = true,
        payload = new
        {
            token = "x", team_id = SlackBot.TeamId, channel_id = "C0OPS", user_id = "U1ALICE", user_name = "alice",
            command = "/sb", text, response_url = responseUrl, trigger_id = "1.2." + envelopeId,
        },
    });

    [Fact]
    public async Task A_slash_command_over_socket_mode_is_acked_by_envelope_id_with_an_answer_ready_at_once_in_the_ack()
    {
        await using var bot = await StartSocketModeBotAsync();
        _ = bot.Client;
        var socket = await bot.Slack.AcceptSocketAsync();

        await socket.SendAsync("""{"type":"hello","num_connections":1}""");
        await socket.SendAsync(SlashCommandEnvelope("env-1", "help", bot.Slack.ResponseUrl("socket-help")));
        var ack = JsonDocument.Parse((await socket.ReceiveAsync())!).RootElement;
        await socket.SendAsync(SlashCommandEnvelope("env-2", "whoami", bot.Slack.ResponseUrl("socket-whoami")));
        var whoamiAck = JsonDocument.Parse((await socket.ReceiveAsync())!).RootElement;
        var answer = Assert.Single(await bot.Slack.WaitForAsync(r => r.Path == "/response/socket-whoami"));

        Assert.Equal("env-1", ack.GetProperty("envelope_id").GetString());
        Assert.Contains("/sb help [command]", ack.GetProperty("payload").GetProperty("text").GetString());
        Assert.Equal("header", ack.GetProperty("payload").GetProperty("blocks")[0].GetProperty("type").GetString());
        Assert.DoesNotContain(bot.Slack.Requests, r => r.Path == "/response/socket-help");
        Assert.Equal("env-2", whoamiAck.GetProperty("envelope_id").GetString());
        Assert.False(whoamiAck.TryGetProperty("payload", out _));
        Assert.Equal("ephemeral", JsonDocument.Parse(answer.Body).RootElement.GetProperty("response_type").GetString());
        Assert.Equal("Bearer " + AppToken, Assert.Single(bot.Slack.Calls("apps.connections.open")).Authorization);
        await socket.CloseAsync();
    }

    [Fact]
    public async Task An_event_over_socket_mode_is_acked_and_handled_once_even_when_redelivered()
    {
        await using var bot = await StartSocketModeBotAsync();
        _ = bot.Client;
        var socket = await bot.Slack.AcceptSocketAsync();
        var mention = Fixtures.ReadText("slack/payloads/event_callback.app_mention.bolt-python.json").Replace("\"T111\"", $"\"{SlackBot.TeamId}\"");

        await socket.SendAsync("""{"type":"hello"}""");
        await socket.SendAsync($$"""{"envelope_id":"env-2","type":"events_api","retry_attempt":0,"payload":{{mention}}}""");
        var first = await socket.ReceiveAsync();
        await bot.Slack.WaitForAsync(r => r.Path == "/api/chat.postMessage");
        await socket.SendAsync($$"""{"envelope_id":"env-3","type":"events_api","retry_attempt":1,"payload":{{mention}}}""");
        var second = await socket.ReceiveAsync();
        await socket.SendAsync(SlashCommandEnvelope("env-4", "whoami", bot.Slack.ResponseUrl("barrier")));
        await socket.ReceiveAsync();
        await bot.Slack.WaitForAsync(r => r.Path == "/response/barrier");

        Assert.Contains("env-2", first);
        Assert.Contains("env-3", second);
        Assert.Single(bot.Slack.Calls("chat.postMessage"));
        await socket.CloseAsync();
    }

    [Fact]
    public async Task When_slack_asks_to_disconnect_the_bot_opens_a_new_connection()
    {
        await using var bot = await StartSocketModeBotAsync();
        _ = bot.Client;
        var first = await bot.Slack.AcceptSocketAsync();

        await first.SendAsync("""{"type":"hello"}""");
        await first.SendAsync("""{"type":"disconnect","reason":"refresh_requested"}""");
        var closedByBot = await first.ReceiveAsync() is null;
        var second = await bot.Slack.AcceptSocketAsync();
        await second.SendAsync("""{"type":"hello"}""");
        await second.SendAsync(SlashCommandEnvelope("env-5", "help", bot.Slack.ResponseUrl("after-reconnect")));
        var ack = await second.ReceiveAsync();

        Assert.True(closedByBot);
        Assert.Contains("env-5", ack);
        Assert.Equal(2, bot.Slack.Calls("apps.connections.open").Count);
        await second.CloseAsync();
    }

    [Fact]
    public async Task Another_slash_command_over_socket_mode_gets_its_explanation_in_the_ack()
    {
        await using var bot = await StartSocketModeBotAsync();
        _ = bot.Client;
        var socket = await bot.Slack.AcceptSocketAsync();

        await socket.SendAsync("""{"type":"hello"}""");
        await socket.SendAsync(SlashCommandEnvelope("env-6", "help", bot.Slack.ResponseUrl("x")).Replace("\"/sb\"", "\"/deploy\""));
        var ack = JsonDocument.Parse((await socket.ReceiveAsync())!).RootElement;

        Assert.Equal("ephemeral", ack.GetProperty("payload").GetProperty("response_type").GetString());
        Assert.Contains("/sb", ack.GetProperty("payload").GetProperty("text").GetString());
        await socket.CloseAsync();
    }
}
