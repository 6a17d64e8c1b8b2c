using Bot.Operations;
using Bot.Slack.SocketMode;
using System.Net;
using System.Text.Json;
using Bot.IntegrationTests.Slack;
using Bot.Testing.Slack;
using Bot.Workflows.Audit;
using Bot.Workflows.Changes;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bot.IntegrationTests.Operations;

/// <summary><c>/sb status</c>, the App Home tab and readiness at shutdown, on the whole bot over the Slack fake.</summary>
public sealed class StatusHomeAndReadinessTests
{
    private static string ResponseText(RecordedRequest response) => JsonDocument.Parse(response.Body).RootElement.GetProperty("text").GetString()!;

    [Fact]
    public async Task Status_names_the_instance_the_store_its_queues_and_which_services_answer()
    {
        await using var bot = await SlackBot.StartAsync(s => s["Sandbox:Enabled"] = "true");

        await bot.SlashCommandAsync("status", "status");
        var text = ResponseText(Assert.Single(await bot.Slack.WaitForAsync(r => r.Path == "/response/status", timeout: TimeSpan.FromSeconds(30))));

        Assert.Contains("*Instances running* (1)", text);
        Assert.Contains("(this one)", text);
        Assert.Contains("*Store*: sqlite, answered in", text);
        Assert.Contains("*Outbox*: 0 message(s) waiting", text);
        Assert.Contains("*Dead letters*: 0", text);
        Assert.Contains("*Timers due*: 0", text);
        Assert.Contains(":white_check_mark: *Slack*: workspace SecureBase", text);
        Assert.Contains(":white_check_mark: *PagerDuty*", text);
        Assert.Contains(":white_check_mark: *AWS*: CloudWatch answers", text);
        Assert.Contains("*Socket Mode*: off", text);
        Assert.Single(bot.Slack.Calls("auth.test"));
    }

    [Fact]
    public async Task Status_over_socket_mode_counts_the_open_connections()
    {
        await using var bot = await SlackBot.StartAsync(s =>
        {
            s["Slack:AppToken"] = "xapp-1-A111-status";
            s["Slack:SigningSecret"] = null;
        });
        _ = bot.Client;
        var socket = await bot.Slack.AcceptSocketAsync();
        await bot.Slack.AcceptSocketAsync();
        var client = bot.Factory.Services.GetRequiredService<SocketModeClient>();
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
            while (client.OpenConnections < 2) await Task.Delay(20, wait.Token); // both said hello and are in service

        await socket.SendAsync(JsonSerializer.Serialize(new
        {
            envelope_id = "env-s", type = "slash_commands",
            payload = new
            {
                team_id = SlackBot.TeamId, channel_id = "C0OPS", user_id = "U1ALICE", user_name = "alice", command = "/sb", text = "status",
                response_url = bot.Slack.ResponseUrl("status"), trigger_id = "7.7.7"
            },
        }));
        var text = ResponseText(Assert.Single(await bot.Slack.WaitForAsync(r => r.Path == "/response/status", timeout: TimeSpan.FromSeconds(30))));

        Assert.Contains("*Socket Mode*: 2 of 2 connection(s) open", text);
        Assert.Contains(":white_circle: *PagerDuty*: not configured", text);
    }

    [Fact]
    public async Task Readyz_turns_unready_as_soon_as_shutdown_begins_while_the_bot_still_serves()
    {
        await using var bot = await SlackBot.StartAsync();
        var before = await bot.Client.GetAsync("/readyz");

        // The first step of the host's shutdown (the rest would stop the test server; SIGTERM is the process test's).
        await bot.Factory.Services.GetServices<IHostedService>().OfType<ShutdownDrain>().Single().StoppingAsync(CancellationToken.None);
        var after = await bot.Client.GetAsync("/readyz");
        var checks = JsonDocument.Parse(await after.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
        Assert.Equal("unhealthy", checks.GetProperty("accepting-work").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Opening_the_home_tab_publishes_it_and_a_change_waiting_for_my_approval_refreshes_it()
    {
        await using var bot = await SlackBot.StartAsync(s =>
        {
            s["Rbac:Roles:approver:Users:0"] = "U1ALICE";
            s["Slack:AppHome:RefreshInterval"] = "00:00:00.100";
        });

        var opened = await bot.SendAsync(bot.Signer.Json("/slack/events", HomeOpened("U1ALICE")));
        var first = Assert.Single(await bot.Slack.WaitForAsync(r => r.Path == "/api/views.publish", timeout: TimeSpan.FromSeconds(30)));
        await RequestChangeAsync(bot, "CHG-HOME-1", requester: "U0BOB");
        var refreshed = (await bot.Slack.WaitForAsync(r => r.Path == "/api/views.publish" && r.Body.Contains("CHG-HOME-1"), timeout: TimeSpan.FromSeconds(30)))[0];

        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var view = JsonDocument.Parse(first.Body).RootElement;
        Assert.Equal("U1ALICE", view.GetProperty("user_id").GetString());
        Assert.Equal("home", view.GetProperty("view").GetProperty("type").GetString());
        Assert.Contains("Nothing waits for your approval", first.Body);
        Assert.Contains("PagerDuty is not configured", first.Body);
        Assert.DoesNotContain("Nothing waits for your approval", refreshed.Body);
        Assert.Contains("No open incidents", refreshed.Body);
    }

    [Fact]
    public async Task A_requesters_own_change_is_listed_as_theirs_and_not_as_waiting_for_their_approval()
    {
        await using var bot = await SlackBot.StartAsync(s => s["Rbac:Roles:approver:Users:0"] = "U0BOB");
        await RequestChangeAsync(bot, "CHG-MINE-1", requester: "U0BOB");

        await bot.SendAsync(bot.Signer.Json("/slack/events", HomeOpened("U0BOB")));
        var home = Assert.Single(await bot.Slack.WaitForAsync(r => r.Path == "/api/views.publish", timeout: TimeSpan.FromSeconds(30)));

        Assert.Contains("Nothing waits for your approval", home.Body);
        Assert.DoesNotContain("You have requested no changes lately", home.Body);
        Assert.Contains("CHG-MINE-1", home.Body);
    }

    private static string HomeOpened(string user) => JsonSerializer.Serialize(new
    {
        token = "x", team_id = SlackBot.TeamId, api_app_id = "A0TEST", type = "event_callback", event_id = "Ev" + Guid.NewGuid().ToString("N")[..10], event_time = 1700000000,
        @event = new { type = "app_home_opened", user, channel = "D0HOME", tab = "home", event_ts = "1700000000.000100" },
    });

    /// <summary>Stores a production change waiting for approval, as <c>/sb deploy</c> would have (without its side effects).</summary>
    private static async Task RequestChangeAsync(SlackBot bot, string id, string requester)
    {
        var store = bot.Factory.Services.GetRequiredService<IWorkflowStore>();
        var now = DateTimeOffset.UtcNow;
        var change = Change.Request(id, new ChangeData
        {
            Spec = new ChangeSpec
            {
                Kind = ChangeKind.Deploy, Environment = "prod", Function = "securebase-prod-user-management", FromVersion = "7", ToVersion = "8",
                FromCodeSha256 = "sha-seven", ToCodeSha256 = "sha-eight",
            },
            Channel = "C0OPS", RequesterId = requester, RequesterName = "bob", Reason = "ship 1.8.0", RequestedAt = now, ExpiresAt = now.AddHours(24),
        });
        await store.CommitAsync(new UnitOfWork
        {
            Aggregate = change.ToRecord(now),
            ExpectedVersion = 0,
            Audit = new AuditDraft { At = now, ActorId = requester, ActorName = "bob", Action = "Create", AggregateType = Change.Type, AggregateId = id },
        }, CancellationToken.None);
    }
}
