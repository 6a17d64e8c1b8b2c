using System.Text.Json;
using Bot.IntegrationTests.Slack;
using Bot.Testing;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.IntegrationTests.Operations;

/// <summary>
/// What a structured log sink sees (every key and value of every log state and scope, at Trace level), not only the
/// formatted text: HttpClient's own loggers put the raw <c>Authorization</c> header there, so a sink such as an OTLP
/// log exporter would have shipped the Slack tokens.
/// </summary>
public sealed class LogStateSecretsTests
{
    private const string AppToken = "xapp-1-A0LOGS-log-state-app-token-6b0e";

    [Fact]
    public async Task The_slack_and_aws_clients_put_no_token_in_any_log_state()
    {
        var recorder = new RecordingLoggerProvider();
        await using var bot = await SlackBot.StartAsync(s =>
        {
            s["Sandbox:Enabled"] = "true";
            s["Slack:AppToken"] = AppToken;
        }, services =>
        {
            services.AddSingleton<ILoggerProvider>(recorder);
            // Every level of every category reaches the recorder, whatever appsettings.json says.
            services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(typeof(RecordingLoggerProvider).FullName, null, LogLevel.Trace, null)));
        });
        _ = bot.Client;
        var socket = await bot.Slack.AcceptSocketAsync();

        await bot.SlashCommandAsync("status", "status");
        await bot.SlashCommandAsync("health staging", "health");
        await socket.SendAsync(JsonSerializer.Serialize(new
        {
            envelope_id = "env-1", type = "slash_commands",
            payload = new
            {
                team_id = SlackBot.TeamId, channel_id = "C0OPS", user_id = "U1ALICE", user_name = "alice", command = "/sb", text = "whoami",
                response_url = bot.Slack.ResponseUrl("whoami"), trigger_id = "5.5.5"
            },
        }));
        await bot.Slack.WaitForAsync(r => r.Path is "/response/status" or "/response/health" or "/response/whoami", count: 3, TimeSpan.FromSeconds(60));

        var logged = recorder.Text;
        Assert.DoesNotContain(SlackTestSettings.BotToken, logged);
        Assert.DoesNotContain(AppToken, logged);
        Assert.DoesNotContain(SlackTestSettings.SigningSecret, logged);
        Assert.DoesNotContain("sandbox/secret/key/not/valid/on/aws/0000", logged);
        Assert.DoesNotContain("/response/", logged);
        Assert.Contains("Slack POST 127.0.0.1/api/auth.test answered 200", logged);
        Assert.Contains("apps.connections.open", logged);
    }
}
