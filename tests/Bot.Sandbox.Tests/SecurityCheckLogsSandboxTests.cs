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

/// <summary>The procedures' CloudTrail check: the account's trail in CloudWatch Logs, with access denials and failed console sign-ins.</summary>
public sealed class CloudTrailLogsSandboxTests : IAsyncLifetime
{
    private const string Trail = "aws-cloudtrail-logs-123456789012-securebase";
    private SandboxHttp _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHttp.StartAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task A_week_of_the_trail_has_access_denials_and_failed_sign_ins_found_by_JSON_patterns()
    {
        var start = _sandbox.NowMs - 7 * 86_400_000L;
        var denied = await _sandbox.LogsAsync("FilterLogEvents", new { logGroupName = Trail, startTime = start, filterPattern = "{ $.errorCode = \"AccessDenied\" }" });
        var signIns = await _sandbox.LogsAsync("FilterLogEvents", new { logGroupName = Trail, startTime = start, filterPattern = "{ ($.eventName = \"ConsoleLogin\") && ($.errorMessage = \"Failed authentication\") }" });
        var groups = await _sandbox.LogsAsync("DescribeLogGroups", new { logGroupNamePrefix = "aws-cloudtrail-logs-" });

        var deniedEvents = denied.Body.GetProperty("events").EnumerateArray().Select(e => System.Text.Json.JsonDocument.Parse(e.GetProperty("message").GetString()!).RootElement).ToList();
        Assert.InRange(deniedEvents.Count, 8, 40);
        Assert.All(deniedEvents, e => Assert.Equal("contractor-jdoe", e.GetProperty("userIdentity").GetProperty("userName").GetString()));
        Assert.All(deniedEvents, e => Assert.Equal("198.51.100.77", e.GetProperty("sourceIPAddress").GetString()));
        Assert.InRange(signIns.Body.GetProperty("events").GetArrayLength(), 4, 30);
        Assert.Equal(365, Assert.Single(groups.Body.GetProperty("logGroups").EnumerateArray()).GetProperty("retentionInDays").GetInt32());
    }
}
