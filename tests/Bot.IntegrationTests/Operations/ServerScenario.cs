using System.Text;
using System.Text.Json;
using Bot.Testing;
using Bot.Testing.Slack;

namespace Bot.IntegrationTests.Operations;

/// <summary>
/// The bot as production runs it, once for the tests of this folder: the built server process (JSON logs, every log
/// level on), against the Slack fake over HTTP and Socket Mode, the sandbox AWS account and PagerDuty, and an OTLP
/// collector; through a scenario of commands, a change workflow, the App Home, a paged incident and its webhooks,
/// then SIGTERM.
/// </summary>
public sealed class ServerScenario : IAsyncLifetime
{
    public const string SigningSecret = "scenario-signing-secret-5f1d0c9a7be24a31";
    public const string BotToken = "xoxb-scenario-bot-token-8c2e51d7aa0f";
    public const string AppToken = "xapp-1-A0SCENARIO-scenario-app-token-44e1";
    public const string RealPagerDutyToken = "real-pagerduty-token-never-logged-7d3a";
    public const string RealPagerDutyWebhookSecret = "real-pagerduty-webhook-secret-91bc";

    /// <summary>Every secret the bot is configured with in this scenario (the sandbox's own credentials included).</summary>
    public static readonly IReadOnlyList<string> Secrets =
    [
        SigningSecret, BotToken, AppToken, RealPagerDutyToken, RealPagerDutyWebhookSecret,
        "sandbox/secret/key/not/valid/on/aws/0000", "sandbox-pagerduty-api-token-0001", "sandbox-pagerduty-webhook-secret-0001",
    ];

    private readonly SlackRequestSigner _signer = new(SigningSecret);

    public SlackApiFake Slack { get; private set; } = null!;
    public OtlpCollectorFake Otlp { get; private set; } = null!;
    public BotServer Server { get; private set; } = null!;
    public int ExitCode { get; private set; }
    /// <summary>What the bot answered Slack's requests with (acks), one entry per request.</summary>
    public List<string> Acks { get; } = [];

    public async Task InitializeAsync()
    {
        Slack = await SlackApiFake.StartAsync();
        Otlp = await OtlpCollectorFake.StartAsync();
        Server = await BotServer.StartAsync(["--sandbox"], new Dictionary<string, string>
        {
            ["Slack__SigningSecret"] = SigningSecret,
            ["Slack__BotToken"] = BotToken,
            ["Slack__AppToken"] = AppToken,
            ["Slack__ApiBaseUrl"] = Slack.ApiBaseUrl,
            ["Slack__TeamId"] = SlackTestSettings.TeamId,
            ["Slack__OpsChannelId"] = "C0OPS",
            ["Slack__Retry__BaseDelay"] = "00:00:00.010",
            ["Slack__AppHome__RefreshInterval"] = "00:00:00.500",
            ["PagerDuty__ApiToken"] = RealPagerDutyToken,
            ["PagerDuty__WebhookSecret"] = RealPagerDutyWebhookSecret,
            ["PagerDuty__FromEmail"] = "ops-bot@corp.example",
            ["PagerDuty__ServiceIds__0"] = "PCORP01",
            ["Rbac__Roles__approver__Users__0"] = "U1ALICE",
            ["Reports__DailyHealth__Enabled"] = "false",
            // A watch of three one-second periods: too short to read the sandbox's minutes, so it ends "not verified", honestly.
            ["Changes__MetricPeriod"] = "00:00:01",
            ["Changes__MetricLag"] = "00:00:00",
            ["Changes__VerifyWindow"] = "00:00:03",
            ["Changes__VerifyInterval"] = "00:00:01",
            ["Operations__DrainDelay"] = "00:00:00.300",
            ["Operations__SampleInterval"] = "00:00:01",
            ["Logging__LogLevel__Default"] = "Trace",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
            ["Logging__LogLevel__System.Net.Http.HttpClient"] = "Trace",
            ["Logging__LogLevel__Polly"] = "Trace",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Otlp.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        try
        {
            await RunScenarioAsync();
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nLast output:\n{string.Join('\n', Server.StandardOutput.TakeLast(40))}\nstderr:\n{string.Join('\n', Server.StandardError.TakeLast(20))}", e);
        }
        finally
        {
            ExitCode = await Server.StopAsync();
        }
    }

    private async Task RunScenarioAsync()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };

        // Socket Mode: both connections come up; a command over one of them.
        var socket = await Slack.AcceptSocketAsync(TimeSpan.FromSeconds(30));
        await Slack.AcceptSocketAsync(TimeSpan.FromSeconds(30));
        await socket.SendAsync(JsonSerializer.Serialize(new
        {
            envelope_id = "env-status",
            type = "slash_commands",
            accepts_response_payload = true,
            payload = new
            {
                team_id = SlackTestSettings.TeamId, channel_id = "C0OPS", user_id = "U1ALICE", user_name = "alice", command = "/sb", text = "status",
                response_url = Slack.ResponseUrl("status"), trigger_id = "9.9.status",
            },
        }));
        Acks.Add(await socket.ReceiveAsync() ?? "");

        // HTTP: read-only commands, a staging deploy (a change workflow that runs to its end), the App Home.
        await CommandAsync(http, "help", "help");
        await CommandAsync(http, "health staging", "health");
        await CommandAsync(http, "deploy user-management --publish --env staging --reason \"scenario\"", "deploy");
        var home = JsonSerializer.Serialize(new
        {
            token = "x", team_id = SlackTestSettings.TeamId, api_app_id = "A0SCENARIO", type = "event_callback", event_id = "Ev0HOME1", event_time = 1700000000,
            @event = new { type = "app_home_opened", user = "U1ALICE", channel = "D0HOME", tab = "home", event_ts = "1700000000.000100" },
        });
        Acks.Add(await (await http.SendAsync(_signer.Json("/slack/events", home))).Content.ReadAsStringAsync());

        // A rehearsal page: the sandbox's PagerDuty delivers signed webhooks to /pagerduty/webhooks.
        await CommandAsync(http, "sandbox incident lambda-errors", "incident");

        // help's answer is ready at once: it goes in the ack, not to its response_url.
        await Slack.WaitForAsync(r => r.Path is "/response/status" or "/response/health" or "/response/incident", count: 3, TimeSpan.FromSeconds(60));
        await Slack.WaitForAsync(r => r.Path == "/api/views.publish", timeout: TimeSpan.FromSeconds(30));
        await Server.WaitForAnyOutputAsync(["\"To\":\"Completed\"", "\"To\":\"NotVerified\""], TimeSpan.FromSeconds(90));
        await Server.WaitForOutputAsync("/pagerduty/webhooks", TimeSpan.FromSeconds(60));
        await Otlp.WaitForAsync(e => e.Path == "/v1/metrics" && e.Mentions("sb.commands") && e.Mentions("sb.aws.call.duration"));
        await Otlp.WaitForAsync(e => e.Path == "/v1/traces" && e.Mentions("SecureBase.Bot"));
    }

    private async Task CommandAsync(HttpClient http, string text, string responseId)
    {
        var form = SlackRequestSigner.SlashCommandForm(text, Slack.ResponseUrl(responseId), triggerId: SlackRequestSigner.NewTriggerId());
        var response = await http.SendAsync(_signer.Form("/slack/commands", form));
        Acks.Add(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every JSON log line of stdout, parsed.</summary>
    public IReadOnlyList<JsonElement> LogLines() =>
        Server.StandardOutput.Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    /// <summary>Everything that left the bot: its output, what it sent to Slack (bodies, paths), its acks, and its telemetry.</summary>
    public IEnumerable<(string Where, byte[] Bytes)> EverythingEmitted()
    {
        foreach (var line in Server.StandardOutput) yield return ("stdout", Encoding.UTF8.GetBytes(line));
        foreach (var line in Server.StandardError) yield return ("stderr", Encoding.UTF8.GetBytes(line));
        foreach (var r in Slack.Requests) yield return ($"Slack {r.Path}", Encoding.UTF8.GetBytes(r.Path + "\n" + r.Body));
        foreach (var ack in Acks) yield return ("ack", Encoding.UTF8.GetBytes(ack));
        foreach (var e in Otlp.Exports) yield return ($"OTLP {e.Path}", e.Body);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Otlp.DisposeAsync();
        await Slack.DisposeAsync();
    }
}
