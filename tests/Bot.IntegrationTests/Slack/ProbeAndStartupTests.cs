using System.Net;
using System.Text.Json;
using Bot.Testing;

namespace Bot.IntegrationTests.Slack;

public class ProbeAndStartupTests
{
    [Fact]
    public async Task Healthz_and_readyz_answer_ok_once_the_slack_workers_run()
    {
        await using var bot = await SlackBot.StartAsync();

        using var health = await bot.Client.GetAsync("/healthz");
        using var ready = await bot.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("slack-workers").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Without_the_slack_secrets_the_server_refuses_to_start_names_them_and_points_to_the_shell()
    {
        var result = await BotProcess.RunAsync([]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Slack__SigningSecret", result.StandardError);
        Assert.Contains("Slack__BotToken", result.StandardError);
        Assert.Contains("dotnet run --project src/Bot -- shell", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
    }

    [Fact]
    public async Task With_only_the_bot_token_missing_the_server_names_just_that()
    {
        var result = await BotProcess.RunAsync([], environment: new Dictionary<string, string> { ["Slack__SigningSecret"] = "s3cret-value" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Slack__BotToken", result.StandardError);
        Assert.DoesNotContain("Slack__SigningSecret", result.StandardError);
        Assert.DoesNotContain("s3cret-value", result.StandardError + result.StandardOutput);
    }
}
