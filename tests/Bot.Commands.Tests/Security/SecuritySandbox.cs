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

namespace Bot.Commands.Tests.Security;

/// <summary>
/// The security commands with their real clients against the sandbox on loopback, on a fake clock shared with the account
/// (so the feed's bursts sit where the account planted them), a SQLite store for the kept access review and the audit
/// trail, and the role check. People: sam (security), ada (admin), abe (approver only).
/// </summary>
public sealed class SecuritySandbox : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 10, 14, 7, 30, TimeSpan.Zero);
    private readonly string _sqlite = TestStorage.NewSqlitePath();

    private SecuritySandbox(SandboxServer sandbox, FakeTimeProvider time)
    {
        Sandbox = sandbox;
        Time = time;
    }

    public SandboxServer Sandbox { get; }
    public FakeTimeProvider Time { get; }
    public ServiceProvider Services { get; private set; } = null!;

    /// <summary>Starts the sandbox at <paramref name="start"/> (default <see cref="Start"/>); <paramref name="more"/> adds other features' services.</summary>
    public static async Task<SecuritySandbox> StartAsync(Dictionary<string, string?>? settings = null, DateTimeOffset? start = null, Action<IServiceCollection>? more = null)
    {
        var time = new FakeTimeProvider(start ?? Start);
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { ClockSkewTolerance = null }, time);
        var harness = new SecuritySandbox(sandbox, time);
        var values = new Dictionary<string, string?>
        {
            ["Aws:MaxRetries"] = "0",
            ["Store:Provider"] = "sqlite",
            ["Store:SqlitePath"] = harness._sqlite,
        };
        foreach (var (k, v) in settings ?? []) values[k] = v;
        harness.Services = StubClients.ForSandbox(sandbox, s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddBotWorkflows();
            s.AddSingleton<IDirectory>(new TestDirectory().Grant("U0SAM", Role.Security).Grant("U0ADA", Role.Admin).Grant("U0ABE", Role.Approver));
            s.AddSingleton<RoleGate>();
            s.AddCommandRouting();
            s.AddCommandMiddleware<RoleCheck>();
            s.AddCloudCommandHandlers();
            s.AddSecurityCommandHandlers();
            more?.Invoke(s);
        }, values);
        await harness.Services.GetRequiredService<IWorkflowStore>().InitializeAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>Runs <c>/sb &lt;text&gt;</c> as <paramref name="user"/> (sam, ada or abe) through the router.</summary>
    public async Task<RecordingReplyChannel> RunAsync(string text, string user = "sam")
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

public static class RecordedText
{
    /// <summary>Everything a command answered or posted, as plain text.</summary>
    public static string All(this RecordingReplyChannel reply) =>
        string.Join("\n", reply.Responses.Select(m => m.Text.ToPlainText()).Concat(reply.Posts.Select(p => p.Message.Text.ToPlainText())));
}
