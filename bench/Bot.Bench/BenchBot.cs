using Bot.PagerDuty;
using Bot.Hosting;
using Bot.Sandbox.Account;
using Bot.Slack;
using Bot.Testing;
using Bot.Testing.Slack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Bench;

/// <summary>
/// The bot's real server in this process, as <c>Program.cs</c> composes it (Kestrel on 127.0.0.1, signed Slack endpoints,
/// PagerDuty webhooks, probes), with <c>Sandbox:Enabled=true</c> so AWS and PagerDuty are the in-process sandbox's, Slack
/// a <see cref="SlackApiFake"/>, and the store a throwaway SQLite file.
/// </summary>
public sealed class BenchBot : IAsyncDisposable
{
    public const string SigningSecret = "bench-signing-secret-0000000000000000";
    public const string TeamId = "T0TEAM";

    private readonly string _sqlitePath;

    private BenchBot(WebApplication app, string sqlitePath)
    {
        App = app;
        _sqlitePath = sqlitePath;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public WebApplication App { get; }
    public IServiceProvider Services => App.Services;
    public Uri Address { get; }

    /// <summary>The bot's SQLite database (a benchmark may give it a history before it starts measuring).</summary>
    public string SqlitePath => _sqlitePath;
    public SlackRequestSigner Signer { get; } = new(SigningSecret);
    public SandboxAccount Sandbox => Services.GetRequiredService<SandboxAccount>();

    /// <summary>
    /// Starts the bot. <paramref name="settings"/> are added to the configuration; <paramref name="services"/> may add
    /// to the container (say, a handler on every HTTP client).
    /// </summary>
    public static async Task<BenchBot> StartAsync(SlackApiFake slack, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var sqlitePath = TestStorage.NewSqlitePath();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var configuration = new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = SigningSecret,
            ["Slack:BotToken"] = "xoxb-bench",
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Slack:TeamId"] = TeamId,
            ["Sandbox:Enabled"] = "true",
            ["Store:Provider"] = "sqlite",
            ["Store:SqlitePath"] = sqlitePath,
            ["Operations:DrainDelay"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddBotServices();
        builder.AddSlackTransport();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapSlackEndpoints();
        app.MapPagerDutyWebhooks();
        app.MapProbes();
        await app.StartAsync();
        return new BenchBot(app, sqlitePath);
    }

    /// <summary>A client for the bot with room for <paramref name="connections"/> requests at once.</summary>
    public HttpClient Client(int connections = 8) => new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false })
    {
        BaseAddress = Address,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        TestStorage.Delete(_sqlitePath);
    }
}
