using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Testing;
using Bot.Testing.Slack;
using Bot.Workflows.Audit;
using Bot.Workflows.Storage.Sqlite;

namespace Bot.IntegrationTests.Slack;

/// <summary>
/// A captured Slack request posted again inside the signature window is a replay (Slack never re-sends a
/// slash command or a click): it is accepted with an empty 200 and nothing happens, on every instance
/// that shares the store, over HTTP and Socket Mode alike.
/// </summary>
public sealed class SlackReplayTests : IAsyncLifetime
{
    private readonly string _sqlitePath = TestStorage.NewSqlitePath();
    private SlackApiFake _slack = null!;

    public async Task InitializeAsync() => _slack = await SlackApiFake.StartAsync();

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        TestStorage.Delete(_sqlitePath);
    }

    /// <summary>A bot on the shared SQLite file and the shared Slack fake.</summary>
    private Task<SlackBot> StartHostAsync(Action<Dictionary<string, string?>>? settings = null) =>
        SlackBot.StartAsync(s =>
        {
            s["Store:SqlitePath"] = _sqlitePath;
            settings?.Invoke(s);
        }, sharedSlack: _slack);

    /// <summary>The same bytes and headers, as an attacker who captured the request would post them.</summary>
    private static async Task<HttpRequestMessage> CopyAsync(HttpRequestMessage original)
    {
        var body = await original.Content!.ReadAsByteArrayAsync();
        var copy = SlackRequestSigner.UnsignedPost(original.RequestUri!.ToString(), body, original.Content.Headers.ContentType!.ToString());
        foreach (var header in original.Headers) copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        return copy;
    }

    /// <summary>The audit records of one request, read from the shared file once the hosts are gone.</summary>
    private async Task<IReadOnlyList<AuditRecord>> AuditRecordsAsync(string requestId)
    {
        var store = new SqliteWorkflowStore(_sqlitePath, TimeProvider.System);
        var records = await new AuditLog(store, store).ListAsync(new AuditQuery(DateTimeOffset.UtcNow.AddHours(-1), null, 1000), CancellationToken.None);
        return records.Where(r => r.RequestId == requestId).ToList();
    }

    [Fact]
    public async Task The_same_signed_slash_command_posted_five_times_to_two_hosts_sharing_a_store_runs_once()
    {
        var triggerId = SlackRequestSigner.NewTriggerId();
        var statuses = new List<HttpStatusCode>();
        var bodies = new List<string>();
        await using (var first = await StartHostAsync())
        await using (var second = await StartHostAsync())
        {
            var original = first.Signer.Form("/slack/commands", SlackRequestSigner.SlashCommandForm("whoami", _slack.ResponseUrl("replayed"), triggerId: triggerId));
            foreach (var host in new[] { first, second, first, second, first })
            {
                using var response = await host.SendAsync(await CopyAsync(original));
                statuses.Add(response.StatusCode);
                bodies.Add(await response.Content.ReadAsStringAsync());
            }
            await first.SlashCommandAsync("whoami", "fresh-on-first");
            await second.SlashCommandAsync("whoami", "fresh-on-second");
            await _slack.WaitForAsync(r => r.Path is "/response/fresh-on-first" or "/response/fresh-on-second", count: 2);
        } // stopping the hosts lets every queued copy finish

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.All(bodies, b => Assert.Equal("", b));
        Assert.Single(_slack.Requests, r => r.Path == "/response/replayed");
        Assert.Single(await AuditRecordsAsync(triggerId));
    }

    [Fact]
    public async Task A_replayed_help_gets_the_same_answer_in_every_ack_changes_nothing_and_leaves_one_audit_record()
    {
        var triggerId = SlackRequestSigner.NewTriggerId();
        var bodies = new List<string>();
        await using (var first = await StartHostAsync())
        await using (var second = await StartHostAsync())
        {
            var original = first.Signer.Form("/slack/commands", SlackRequestSigner.SlashCommandForm("help", _slack.ResponseUrl("help-replayed"), triggerId: triggerId));
            foreach (var host in new[] { first, second, first, second })
            {
                using var response = await host.SendAsync(await CopyAsync(original));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                bodies.Add(await response.Content.ReadAsStringAsync());
            }
        } // stopping the hosts lets every queued audit record finish

        Assert.All(bodies, b => Assert.Equal(bodies[0], b));
        Assert.Contains("/sb help [command]", bodies[0]);
        Assert.DoesNotContain(_slack.Requests, r => r.Path == "/response/help-replayed");
        Assert.Single(await AuditRecordsAsync(triggerId));
    }

    [Fact]
    public async Task The_same_button_click_posted_three_times_to_two_hosts_is_handled_once()
    {
        var payload = JsonNode.Parse(Fixtures.ReadText("slack/payloads/block_actions.bolt-python.json"))!;
        payload["team"]!["id"] = SlackBot.TeamId;
        payload["response_url"] = _slack.ResponseUrl("clicked");
        payload["actions"]![0]!["action_id"] = ProbeInteraction.Approve;
        var other = payload.DeepClone();
        other["actions"]![0]!["action_ts"] = "1596530399.000001";
        other["response_url"] = _slack.ResponseUrl("clicked-again-later");

        await using (var first = await StartHostAsync())
        await using (var second = await StartHostAsync())
        {
            var original = first.Signer.Form("/slack/interactions", SlackRequestSigner.InteractionForm(payload.ToJsonString()));
            foreach (var host in new[] { first, second, first })
            {
                using var response = await host.SendAsync(await CopyAsync(original));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            // A second, genuine click on the same button (a new action_ts) is not a replay.
            using var again = await second.SendAsync(second.Signer.Form("/slack/interactions", SlackRequestSigner.InteractionForm(other.ToJsonString())));
            await _slack.WaitForAsync(r => r.Path == "/response/clicked-again-later");
        }

        Assert.Single(_slack.Requests, r => r.Path == "/response/clicked");
    }

    [Fact]
    public async Task A_slash_command_seen_over_socket_mode_is_not_run_again_when_the_same_payload_arrives_over_http_or_a_redelivered_envelope()
    {
        var triggerId = SlackRequestSigner.NewTriggerId();
        var responseUrl = _slack.ResponseUrl("socket-replayed");
        await using (var socketHost = await StartHostAsync(s => s["Slack:AppToken"] = "xapp-1-A111-replay-test"))
        await using (var httpHost = await StartHostAsync())
        {
            _ = socketHost.Client;
            var socket = await _slack.AcceptSocketAsync();
            await socket.SendAsync("""{"type":"hello"}""");
            var payload = new
            {
                token = "x", team_id = SlackBot.TeamId, channel_id = "C0OPS", user_id = "U1ALICE", user_name = "alice",
                command = "/sb", text = "whoami", response_url = responseUrl, trigger_id = triggerId,
            };
            await socket.SendAsync(JsonSerializer.Serialize(new { envelope_id = "env-a", type = "slash_commands", payload }));
            await socket.ReceiveAsync();
            await _slack.WaitForAsync(r => r.Path == "/response/socket-replayed");
            await socket.SendAsync(JsonSerializer.Serialize(new { envelope_id = "env-b", type = "slash_commands", retry_attempt = 1, payload }));
            await socket.ReceiveAsync();

            using var overHttp = await httpHost.SendAsync(httpHost.Signer.Form("/slack/commands",
                SlackRequestSigner.SlashCommandForm("whoami", responseUrl, triggerId: triggerId)));
            Assert.Equal(HttpStatusCode.OK, overHttp.StatusCode);
        } // stopping the hosts lets the queued copies finish and closes the socket

        Assert.Single(_slack.Requests, r => r.Path == "/response/socket-replayed");
    }
}
