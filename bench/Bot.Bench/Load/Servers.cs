using Bot.Testing;

namespace Bot.Bench.Load;

/// <summary>How the two servers under comparison are started: ours from the Release build beside the bench, Bolt from bench/bolt.</summary>
public static class Servers
{
    public const string SlackSecret = "bench-signing-secret-0000000000000000";
    public const string PagerDutySecret = "bench-pagerduty-webhook-secret";

    /// <summary>Our server as production runs it (its appsettings, SQLite store), every outside service pointed at <paramref name="sink"/>.</summary>
    public static Task<ServerProcess> StartOursAsync(NullSink sink, string sqlitePath, IReadOnlyDictionary<string, string>? extra = null, string? botDll = null)
    {
        var port = ServerProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["DOTNET_NOLOGO"] = "1",
            ["Slack__SigningSecret"] = SlackSecret,
            ["Slack__BotToken"] = "xoxb-bench-token",
            ["Slack__ApiBaseUrl"] = sink.ApiBaseUrl,
            ["Slack__TeamId"] = SignedRequests.TeamId,
            ["Slack__OpsChannelId"] = "C0OPS",
            ["Store__Provider"] = "sqlite",
            ["Store__SqlitePath"] = sqlitePath,
            ["PagerDuty__ApiToken"] = "bench-pagerduty-token",
            ["PagerDuty__WebhookSecret"] = PagerDutySecret,
            ["PagerDuty__FromEmail"] = "bot@example.com",
            ["PagerDuty__ApiBaseUrl"] = sink.BaseAddress.ToString(),
            ["PagerDuty__EventsBaseUrl"] = sink.BaseAddress.ToString(),
            ["Reports__DailyHealth__Enabled"] = "false",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "AKIABENCHBENCHBENCH0",
            ["AWS_SECRET_ACCESS_KEY"] = "bench-secret",
            ["AWS_ENDPOINT_URL"] = sink.BaseAddress.ToString(),
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) environment[k] = v;
        var dll = botDll ?? Path.Combine(AppContext.BaseDirectory, "Bot.dll");
        return ServerProcess.StartAsync("dotnet", [dll], environment, port, workingDirectory: Path.GetDirectoryName(dll), readyPath: "/healthz");
    }

    /// <summary>Slack Bolt for JavaScript (bench/bolt, installed with npm ci by bench/compare.sh).</summary>
    public static Task<ServerProcess> StartBoltAsync(NullSink sink)
    {
        var directory = Path.Combine(Fixtures.RepositoryRoot, "bench", "bolt");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "@slack", "bolt")))
            throw new InvalidOperationException("Bolt is not installed: run `npm ci --prefix bench/bolt` (bench/compare.sh does).");
        var port = ServerProcess.FreePort();
        return ServerProcess.StartAsync("node", ["app.js"], new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SLACK_SIGNING_SECRET"] = SlackSecret,
            ["SLACK_API_URL"] = sink.ApiBaseUrl,
            ["NODE_ENV"] = "production",
        }, port, workingDirectory: directory);
    }
}
