using System.Net;
using System.Text.Json;
using Bot.IntegrationTests.Slack;

namespace Bot.IntegrationTests.Operations;

/// <summary>
/// What <c>/readyz</c> and <c>/healthz</c> say on the whole bot: an instance in Socket Mode that Slack cannot reach (no
/// connection ever opened) is Unhealthy on both, so the container's health check replaces it. (A store outage is
/// Degraded: the reliability suite's StoreFaultTests, against DynamoDB Local behind a proxy that refuses connections.)
/// </summary>
public sealed class ReadinessTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(SlackBot bot, string path)
    {
        using var response = await bot.Client.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task A_socket_mode_instance_without_a_connection_past_its_limit_is_unhealthy_on_readyz_and_healthz()
    {
        await using var bot = await SlackBot.StartAsync(s =>
        {
            s["Slack:AppToken"] = "xapp-1-A0READY-never-connects";
            s["Slack:SigningSecret"] = null;
            // The limit is 2 minutes in production; here any time without a connection is past it.
            s["Slack:SocketMode:UnhealthyAfter"] = "00:00:00.001";
        });
        using var held = bot.Slack.HoldNewConnections(); // Slack never hands out a connection

        var (readyStatus, ready) = await GetAsync(bot, "/readyz");
        var (liveStatus, live) = await GetAsync(bot, "/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyStatus);
        Assert.Equal("unhealthy", ready.GetProperty("status").GetString());
        var connections = ready.GetProperty("checks").GetProperty("slack-connections");
        Assert.Equal("unhealthy", connections.GetProperty("status").GetString());
        Assert.StartsWith("no connection open for ", connections.GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, liveStatus);
        Assert.Equal(["slack-connections"], live.GetProperty("checks").EnumerateObject().Select(c => c.Name));
    }

    [Fact]
    public async Task Over_http_the_socket_mode_check_is_off_and_healthz_checks_nothing_else()
    {
        await using var bot = await SlackBot.StartAsync();

        var (readyStatus, ready) = await GetAsync(bot, "/readyz");
        var (liveStatus, live) = await GetAsync(bot, "/healthz");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (readyStatus, liveStatus));
        Assert.Equal("Socket Mode off", ready.GetProperty("checks").GetProperty("slack-connections").GetProperty("description").GetString());
        Assert.Equal("healthy", live.GetProperty("status").GetString());
    }
}
