using Bot.Commands.Routing;
using Bot.Slack;
using System.Text.Json;
using Bot.Testing;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.IntegrationTests.Slack;

/// <summary>The bot over Socket Mode against the fake's WebSockets (relayed, so the network can misbehave).</summary>
public class SocketModeTests
{
    private const string AppToken = "xapp-1-A111-socket-test";

    private static Task<SlackBot> StartSocketModeBotAsync(Action<IServiceCollection>? services = null) => SlackBot.StartAsync(settings: s =>
    {
        s["Slack:AppToken"] = AppToken;
        s["Slack:SigningSecret"] = null;
        // Fast keepalive and backoff so a dead connection is noticed within the test; two connections, as in production.
        s["Slack:SocketMode:PingInterval"] = "00:00:00.250";
        s["Slack:SocketMode:PingTimeout"] = "00:00:05";
        s["Slack:SocketMode:InitialBackoff"] = "00:00:00.050";
    }, services: services);

    /// <summary>Starts the bot and takes both of its connections.</summary>
    private static async Task<(SlackBot Bot, SocketModePeer A, SocketModePeer B)> StartWithTwoConnectionsAsync(Action<IServiceCollection>? services = null)
    {
        var bot = await StartSocketModeBotAsync(services);
        _ = bot.Client;
        return (bot, await bot.Slack.AcceptSocketAsync(), await bot.Slack.AcceptSocketAsync());
    }

    private static string SlashCommandEnvelope(string envelopeId, string text, string responseUrl, string triggerId = "1.2.3") => JsonSerializer.Serialize(new
    {
        envelope_id = envelopeId,
        type = "slash_commands",
        accepts_response_payload = true,
        payload = new
        {
            token = "x", team_id = SlackBot.TeamId, channel_id = "C0OPS", user_id = "U1ALICE", user_name = "alice",
            command = "/sb", text, response_url = responseUrl, trigger_id = triggerId,
        },
    });

    private static string EnvelopeId(string? ack) => JsonDocument.Parse(ack ?? "{}").RootElement.TryGetProperty("envelope_id", out var id) ? id.GetString()! : "(no ack)";

    [Fact]
    public async Task A_slash_command_over_socket_mode_is_acked_by_envelope_id_with_an_answer_ready_at_once_in_the_ack()
    {
        var (bot, socket, _) = await StartWithTwoConnectionsAsync();
        await using var _bot = bot;

        await socket.SendAsync(SlashCommandEnvelope("env-1", "help", bot.Slack.ResponseUrl("socket-help")));
        var ack = JsonDocument.Parse((await socket.ReceiveAsync())!).RootElement;
        await socket.SendAsync(SlashCommandEnvelope("env-2", "whoami", bot.Slack.ResponseUrl("socket-whoami"), triggerId: "1.2.env-2"));
        var whoamiAck = JsonDocument.Parse((await socket.ReceiveAsync())!).RootElement;
        var answer = Assert.Single(await bot.Slack.WaitForAsync(r => r.Path == "/response/socket-whoami"));

        Assert.Equal("env-1", ack.GetProperty("envelope_id").GetString());
        Assert.Contains("/sb help [command]", ack.GetProperty("payload").GetProperty("text").GetString());
        Assert.Equal("header", ack.GetProperty("payload").GetProperty("blocks")[0].GetProperty("type").GetString());
        Assert.DoesNotContain(bot.Slack.Requests, r => r.Path == "/response/socket-help");
        Assert.Equal("env-2", whoamiAck.GetProperty("envelope_id").GetString());
        Assert.False(whoamiAck.TryGetProperty("payload", out _));
        Assert.Equal("ephemeral", JsonDocument.Parse(answer.Body).RootElement.GetProperty("response_type").GetString());
        Assert.All(bot.Slack.Calls("apps.connections.open"), call => Assert.Equal("Bearer " + AppToken, call.Authorization));
    }

    [Fact]
    public async Task The_bot_keeps_two_connections_and_answers_on_both()
    {
        var (bot, a, b) = await StartWithTwoConnectionsAsync();
        await using var _bot = bot;

        await a.SendAsync(SlashCommandEnvelope("env-a", "whoami", bot.Slack.ResponseUrl("on-a"), triggerId: "1.1.a"));
        await b.SendAsync(SlashCommandEnvelope("env-b", "whoami", bot.Slack.ResponseUrl("on-b"), triggerId: "1.1.b"));

        Assert.Equal("env-a", EnvelopeId(await a.ReceiveAsync()));
        Assert.Equal("env-b", EnvelopeId(await b.ReceiveAsync()));
        await bot.Slack.WaitForAsync(r => r.Path is "/response/on-a" or "/response/on-b", count: 2);
        Assert.Equal(2, bot.Slack.Calls("apps.connections.open").Count);
    }

    [Fact]
    public async Task An_event_redelivered_over_the_other_connection_is_acked_there_and_handled_once()
    {
        var (bot, a, b) = await StartWithTwoConnectionsAsync();
        await using var _bot = bot;
        var mention = Fixtures.ReadText("slack/payloads/event_callback.app_mention.bolt-python.json").Replace("\"T111\"", $"\"{SlackBot.TeamId}\"");

        await a.SendAsync($$"""{"envelope_id":"env-2","type":"events_api","retry_attempt":0,"payload":{{mention}}}""");
        var first = await a.ReceiveAsync();
        await bot.Slack.WaitForAsync(r => r.Path == "/api/chat.postMessage");
        await b.SendAsync($$"""{"envelope_id":"env-3","type":"events_api","retry_attempt":1,"retry_reason":"timeout","payload":{{mention}}}""");
        var second = await b.ReceiveAsync();
        await b.SendAsync(SlashCommandEnvelope("env-4", "whoami", bot.Slack.ResponseUrl("barrier")));
        await b.ReceiveAsync();
        await bot.Slack.WaitForAsync(r => r.Path == "/response/barrier");

        Assert.Equal("env-2", EnvelopeId(first));
        Assert.Equal("env-3", EnvelopeId(second));
        Assert.Single(bot.Slack.Calls("chat.postMessage"));
    }

    [Fact]
    public async Task When_slack_asks_to_disconnect_the_old_connection_serves_until_its_replacement_is_up()
    {
        var (bot, first, _) = await StartWithTwoConnectionsAsync();
        await using var _bot = bot;

        IReadOnlyList<RecordedRequest> asked;
        string? ackWhileReplacing;
        using (bot.Slack.HoldNewConnections())
        {
            await first.SendAsync("""{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"fake"}}""");
            asked = await bot.Slack.WaitForAsync(r => r.Path == "/api/apps.connections.open", count: 3);
            await first.SendAsync(SlashCommandEnvelope("env-5", "whoami", bot.Slack.ResponseUrl("while-replacing")));
            ackWhileReplacing = await first.ReceiveAsync();
            await bot.Slack.WaitForAsync(r => r.Path == "/response/while-replacing");
        }
        var replacement = await bot.Slack.AcceptSocketAsync();
        var closedByBot = await first.ReceiveAsync() is null;
        await replacement.SendAsync(SlashCommandEnvelope("env-6", "whoami", bot.Slack.ResponseUrl("after-reconnect"), triggerId: "1.2.4"));
        var ackAfter = await replacement.ReceiveAsync();

        Assert.Equal(3, asked.Count);
        Assert.Equal("env-5", EnvelopeId(ackWhileReplacing));
        Assert.True(closedByBot);
        Assert.Equal("env-6", EnvelopeId(ackAfter));
    }

    [Fact]
    public async Task A_half_open_connection_is_noticed_by_its_unanswered_pings_and_replaced_while_the_other_keeps_serving()
    {
        var (bot, a, b) = await StartWithTwoConnectionsAsync();
        await using var _bot = bot;

        a.Link!.Freeze();
        await b.SendAsync(SlashCommandEnvelope("env-7", "whoami", bot.Slack.ResponseUrl("not-deaf"), triggerId: "1.3.1"));
        var ackOnB = await b.ReceiveAsync();
        var replacement = await bot.Slack.AcceptSocketAsync(TimeSpan.FromSeconds(30));
        await replacement.SendAsync(SlashCommandEnvelope("env-8", "whoami", bot.Slack.ResponseUrl("replaced"), triggerId: "1.3.2"));
        var ackOnReplacement = await replacement.ReceiveAsync();
        await bot.Slack.WaitForAsync(r => r.Path is "/response/not-deaf" or "/response/replaced", count: 2);

        Assert.Equal("env-7", EnvelopeId(ackOnB));
        Assert.Equal("env-8", EnvelopeId(ackOnReplacement));
        Assert.Equal(3, bot.Slack.Calls("apps.connections.open").Count);
    }

    [Fact]
    public async Task A_connection_dropped_in_the_middle_of_a_command_loses_nothing_and_the_redelivery_does_not_run_it_twice()
    {
        var gate = new GateCommand();
        var (bot, a, b) = await StartWithTwoConnectionsAsync(s => s.AddSingleton<ICommandHandler>(gate));
        await using var _bot = bot;
        var command = SlashCommandEnvelope("env-9", "gate", bot.Slack.ResponseUrl("gate"), triggerId: "1.4.1");

        a.Link!.HoldFromBot(); // the ack never reaches Slack
        await a.SendAsync(command);
        await gate.Entered;
        a.Link.Cut();
        // Slack saw no ack, so it delivers the command again over the connection it still has.
        await b.SendAsync(command.Replace("env-9", "env-10"));
        var ackOfRedelivery = await b.ReceiveAsync(); // acked at once, while the first copy is still running
        gate.Release();
        await bot.Slack.WaitForAsync(r => r.Path == "/response/gate");
        var replacement = await bot.Slack.AcceptSocketAsync(TimeSpan.FromSeconds(30));
        await replacement.SendAsync(SlashCommandEnvelope("env-11", "whoami", bot.Slack.ResponseUrl("barrier"), triggerId: "1.4.2"));
        await replacement.ReceiveAsync();
        await bot.Slack.WaitForAsync(r => r.Path == "/response/barrier");

        Assert.Equal("env-10", EnvelopeId(ackOfRedelivery));
        Assert.Equal(1, gate.Runs);
        Assert.Single(bot.Slack.Requests, r => r.Path == "/response/gate");
    }

    [Fact]
    public async Task Another_slash_command_over_socket_mode_gets_its_explanation_in_the_ack()
    {
        var (bot, socket, _) = await StartWithTwoConnectionsAsync();
        await using var _bot = bot;

        await socket.SendAsync(SlashCommandEnvelope("env-6", "whoami", bot.Slack.ResponseUrl("x")).Replace("\"/sb\"", "\"/deploy\""));
        var ack = JsonDocument.Parse((await socket.ReceiveAsync())!).RootElement;

        Assert.Equal("ephemeral", ack.GetProperty("payload").GetProperty("response_type").GetString());
        Assert.Contains("/sb", ack.GetProperty("payload").GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_event_that_finds_the_bot_too_busy_is_left_unacked_so_slack_delivers_it_again()
    {
        var gate = new GateCommand(enteredAfter: SlackWorkQueueWorker.Workers);
        var (bot, a, _) = await StartWithTwoConnectionsAsync(s => s.AddSingleton<ICommandHandler>(gate));
        await using var _bot = bot;
        var mention = Fixtures.ReadText("slack/payloads/event_callback.app_mention.bolt-python.json").Replace("\"T111\"", $"\"{SlackBot.TeamId}\"");

        // Every worker busy and the queue full.
        for (var i = 0; i < SlackWorkQueueWorker.Workers; i++) await a.SendAsync(SlashCommandEnvelope($"gate-{i}", "gate", bot.Slack.ResponseUrl($"gate-{i}"), $"8.0.{i}"));
        await gate.Entered;
        for (var i = 0; i < SlackWorkQueue.Capacity + 8; i++) await a.SendAsync(SlashCommandEnvelope($"fill-{i}", "whoami", bot.Slack.ResponseUrl("fill"), $"8.1.{i}"));
        await a.SendAsync($$"""{"envelope_id":"env-busy","type":"events_api","retry_attempt":0,"payload":{{mention}}}""");
        await a.SendAsync(SlashCommandEnvelope("env-barrier", "whoami", bot.Slack.ResponseUrl("barrier"), "8.2.0"));
        var acks = new List<string>();
        while (acks.LastOrDefault() != "env-barrier") acks.Add(EnvelopeId(await a.ReceiveAsync()));
        gate.Release();
        await bot.Slack.WaitForAsync(r => r.Path == "/response/fill", count: SlackWorkQueue.Capacity, TimeSpan.FromSeconds(60));
        await a.SendAsync($$"""{"envelope_id":"env-busy-2","type":"events_api","retry_attempt":1,"retry_reason":"timeout","payload":{{mention}}}""");
        var redeliveryAck = EnvelopeId(await a.ReceiveAsync());
        await bot.Slack.WaitForAsync(r => r.Path == "/api/chat.postMessage");

        Assert.DoesNotContain("env-busy", acks);
        Assert.Contains("fill-0", acks);
        Assert.Equal("env-busy-2", redeliveryAck);
        Assert.Single(bot.Slack.Calls("chat.postMessage"));
    }

    /// <summary><c>/sb gate</c>: a command that runs until the test lets it finish.</summary>
    private sealed class GateCommand(int enteredAfter = 1) : ICommandHandler
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _runs;

        public CommandSpec Spec { get; } = new() { Verb = "gate", Summary = "waits for the test", Usage = "/sb gate" };
        /// <summary>Completes when <c>enteredAfter</c> runs are under way.</summary>
        public Task Entered => _entered.Task.WaitAsync(TimeSpan.FromSeconds(15));
        public int Runs => Volatile.Read(ref _runs);
        public void Release() => _release.TrySetResult();

        public async Task HandleAsync(CommandContext context, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _runs) >= enteredAfter) _entered.TrySetResult();
            await _release.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            await context.RespondEphemeralAsync("gate passed", cancellationToken);
        }
    }
}
