using Bot.Testing;
using Bot.Commands.Routing;
using Bot.Commands.Tests.Routing;
using Bot.Testing.Commands;
using Bot.Commands.Cloud;
using Bot.Sandbox;
using Bot.Sandbox.Hosting;
using Bot.Testing.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Commands.Tests.Cloud;

/// <summary>
/// The sandbox AWS account on loopback with the real clients and command handlers pointed at it
/// over HTTP; commands are dispatched through the real router.
/// </summary>
public sealed class SandboxCloud : IAsyncDisposable
{
    private SandboxCloud(SandboxServer sandbox, ServiceProvider services)
    {
        Sandbox = sandbox;
        Services = services;
    }

    public SandboxServer Sandbox { get; }
    public ServiceProvider Services { get; }

    /// <summary>Starts the sandbox on <paramref name="time"/> (the real clock unless given: a fake one lets a test let minutes pass).</summary>
    public static async Task<SandboxCloud> StartAsync(Dictionary<string, string?>? settings = null, string? accessKey = null, TimeProvider? time = null)
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions(), time ?? TimeProvider.System);
        var values = new Dictionary<string, string?>
        {
            ["Aws:Region"] = sandbox.Account.Options.Region,
            ["Aws:AccessKeyId"] = accessKey ?? sandbox.Account.Options.AccessKeyId,
            ["Aws:SecretAccessKey"] = sandbox.Account.Options.SecretAccessKey,
            ["Aws:MaxRetries"] = "1",
        };
        foreach (var (k, v) in settings ?? []) values[k] = v;
        var services = StubClients.Build(sandbox.BaseAddress, s =>
        {
            s.AddCommandRouting();
            s.AddCloudCommandHandlers();
        }, values);
        return new SandboxCloud(sandbox, services);
    }

    /// <summary>Runs <c>/sb &lt;text&gt;</c> through the router and returns what was sent back.</summary>
    public async Task<RecordingReplyChannel> RunAsync(string text, RecordingReplyChannel? reply = null)
    {
        reply ??= new RecordingReplyChannel();
        var router = Services.GetRequiredService<CommandRouter>();
        await router.DispatchAsync(new CommandRequest
        {
            Command = "/sb",
            Text = text,
            User = new Actor("U123", "alice"),
            ChannelId = "C-OPS",
        }, reply, CancellationToken.None);
        return reply;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
