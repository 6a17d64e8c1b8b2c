namespace Bot.Sandbox.Tests;

/// <summary>The procedures' daily security check: <c>UNAUTHORIZED</c> lines in the SecureBase functions' logs, consistent with the activity feed's bursts.</summary>
public sealed class SecurityCheckLogsSandboxTests : IAsyncLifetime
{
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task<List<string>> UnauthorizedAsync(string group, TimeSpan since)
    {
        var lines = new List<string>();
        string? token = null;
        do
        {
            var page = await _sandbox.LogsAsync("FilterLogEvents", token is null
                ? new { logGroupName = group, startTime = _sandbox.NowMs - (long)since.TotalMilliseconds, filterPattern = "UNAUTHORIZED" }
                : (object)new { logGroupName = group, startTime = _sandbox.NowMs - (long)since.TotalMilliseconds, filterPattern = "UNAUTHORIZED", nextToken = token });
            lines.AddRange(page.Body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!));
            token = page.Body.TryGetProperty("nextToken", out var t) ? t.GetString() : null;
        } while (token is not null);
        return lines;
    }

    [Fact]
    public async Task The_last_days_bursts_show_as_UNAUTHORIZED_logins_with_their_addresses()
    {
        var sessions = await UnauthorizedAsync("/aws/lambda/securebase-prod-session-management", TimeSpan.FromDays(1));
        var users = await UnauthorizedAsync("/aws/lambda/securebase-prod-user-management", TimeSpan.FromDays(7));
        var devSessions = await UnauthorizedAsync("/aws/lambda/securebase-dev-session-management", TimeSpan.FromDays(1));

        Assert.Equal(["198.51.100.23", "203.0.113.57"], sessions.Select(l => l.Split("\"sourceIp\":\"")[1].Split('"')[0]).Distinct().Order().ToArray());
        Assert.All(sessions, l => Assert.Contains("\tWARN\tUNAUTHORIZED login rejected", l));
        Assert.InRange(users.Count, 10, 100);
        Assert.All(users, l => Assert.Contains("UNAUTHORIZED role assignment refused", l));
        Assert.Empty(devSessions);
    }
}
