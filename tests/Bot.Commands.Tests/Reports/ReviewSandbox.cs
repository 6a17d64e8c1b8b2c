using Bot.Commands.Access;
using Bot.Commands.Routing;
using Bot.Sandbox;
using Bot.Sandbox.Hosting;
using Bot.Testing;
using Bot.Testing.Aws;
using Bot.Testing.Commands;
using Bot.Testing.Workflows;
using Bot.Workflows;
using Bot.Workflows.Ports;
using Bot.Workflows.Roles;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Commands.Tests.Reports;

/// <summary>
/// The review commands with their real clients against the sandbox on loopback, on a fake clock shared with the account (so
/// its 90 days of history and its planted cases sit where the account put them), with a SQLite store for the bot's own
/// operations, the security lines and the schedules' claims.
/// </summary>
public sealed class ReviewSandbox : IAsyncDisposable
{
    /// <summary>A Monday, 09:30 UTC: the weekly review's default hour.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
    private readonly string _sqlite = TestStorage.NewSqlitePath();

    private ReviewSandbox(SandboxServer sandbox, FakeTimeProvider time)
    {
        Sandbox = sandbox;
        Time = time;
    }

    public SandboxServer Sandbox { get; }
    public FakeTimeProvider Time { get; }
    public ServiceProvider Services { get; private set; } = null!;

    public static async Task<ReviewSandbox> StartAsync(Dictionary<string, string?>? settings = null, SandboxOptions? options = null)
    {
        var time = new FakeTimeProvider(Start);
        options ??= new SandboxOptions();
        options.ClockSkewTolerance = null;
        var sandbox = await SandboxServer.StartAsync(options, time);
        var harness = new ReviewSandbox(sandbox, time);
        var values = new Dictionary<string, string?>
        {
            ["Aws:MaxRetries"] = "0",
            ["Aws:AttemptTimeout"] = "00:01:00",
            ["Aws:TotalTimeout"] = "00:02:00",
            ["Store:Provider"] = "sqlite",
            ["Store:SqlitePath"] = harness._sqlite,
            ["SecureBase:AccountId"] = sandbox.Account.Options.AccountId,
        };
        foreach (var (k, v) in settings ?? []) values[k] = v;
        harness.Services = StubClients.ForSandbox(sandbox, s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddBotWorkflows();
            s.AddSingleton(new Bot.Integrations.Aws.CloudAccount(true));
            s.AddSingleton<ICloud, Bot.Integrations.Aws.LambdaCloud>();
            s.AddSingleton<IDirectory>(new TestDirectory().Grant("U0SAM", Role.Security).Grant("U0ADA", Role.Admin));
            s.AddSingleton<RoleGate>();
            s.AddCommandRouting();
            s.AddCommandMiddleware<RoleCheck>();
            s.AddCloudCommandHandlers();
            s.AddSecurityCommandHandlers();
            s.AddReportCommandHandlers();
        }, values);
        await harness.Services.GetRequiredService<IWorkflowStore>().InitializeAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>Runs <c>/sb &lt;text&gt;</c> as <paramref name="user"/> through the router.</summary>
    public async Task<RecordingReplyChannel> RunAsync(string text, string user = "ada")
    {
        var reply = new RecordingReplyChannel();
        await Services.GetRequiredService<CommandRouter>().DispatchAsync(new CommandRequest
        {
            Command = "/sb",
            Text = text,
            User = new Actor("U0" + user.ToUpperInvariant(), user),
            ChannelId = "C-OPS",
            RequestId = Guid.NewGuid().ToString("N"),
        }, reply, CancellationToken.None);
        return reply;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
        TestStorage.Delete(_sqlite);
    }
}
