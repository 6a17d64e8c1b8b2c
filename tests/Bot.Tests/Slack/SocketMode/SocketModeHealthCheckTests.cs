using Bot.Integrations.Slack;
using Bot.Slack.SocketMode;
using Bot.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.Slack.SocketMode;

/// <summary>
/// The Socket Mode check on its own clock: an instance that has had no connection open is Degraded for
/// <see cref="SocketModeOptions.UnhealthyAfter"/> (2 minutes), then Unhealthy; without an app token it is not asked.
/// (The connected case, and the check on the running bot, are the integration tests'.)
/// </summary>
public sealed class SocketModeHealthCheckTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 14, 0, 0, TimeSpan.Zero));

    private SocketModeHealthCheck Check(string? appToken)
    {
        var slack = new FixedOptions<SlackOptions>(new SlackOptions { AppToken = appToken, BotToken = "xoxb-test" });
        var options = Options.Create(new SocketModeOptions());
        // Never started: no connection is ever opened, which is the case under test.
        var client = new SocketModeClient(null!, null!, slack, options, _time, NullLogger<SocketModeClient>.Instance);
        return new SocketModeHealthCheck(client, options, _time);
    }

    private static async Task<HealthCheckResult> AskAsync(SocketModeHealthCheck check) => await check.CheckHealthAsync(new HealthCheckContext());

    [Fact]
    public async Task No_connection_is_degraded_for_two_minutes_then_unhealthy()
    {
        var check = Check("xapp-1-A0TEST-token");

        var atStart = await AskAsync(check);
        _time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        var justBefore = await AskAsync(check);
        _time.Advance(TimeSpan.FromSeconds(1));
        var atTwoMinutes = await AskAsync(check);

        Assert.Equal((HealthStatus.Degraded, "no connection open for 0 s"), (atStart.Status, atStart.Description));
        Assert.Equal((HealthStatus.Degraded, "no connection open for 119 s"), (justBefore.Status, justBefore.Description));
        Assert.Equal((HealthStatus.Unhealthy, "no connection open for 120 s"), (atTwoMinutes.Status, atTwoMinutes.Description));
    }

    [Fact]
    public async Task Without_an_app_token_socket_mode_is_off_and_healthy_whatever_the_time()
    {
        var check = Check(appToken: null);
        _time.Advance(TimeSpan.FromHours(1));

        var result = await AskAsync(check);

        Assert.Equal((HealthStatus.Healthy, "Socket Mode off"), (result.Status, result.Description));
    }
}
