using System.Net;
using Bot.Sandbox.Account;
using Bot.Sandbox.Protocols;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Sandbox.Hosting;

/// <summary>
/// The sandbox account served by Kestrel on loopback: every service on one port, in the AWS wire protocols.
/// Point the AWS clients' endpoints at <see cref="BaseAddress"/> and sign with any access key.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxServer(WebApplication app, SandboxAccount account, Uri baseAddress)
    {
        _app = app;
        Account = account;
        BaseAddress = baseAddress;
    }

    /// <summary>The address the sandbox listens on, e.g. <c>http://127.0.0.1:4566/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The account being served (set faults through <see cref="SandboxAccount.Faults"/>).</summary>
    public SandboxAccount Account { get; }

    public static Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default) =>
        StartOwnedAsync(new SandboxAccount(options, TimeProvider.System), cancellationToken);

    public static Task<SandboxServer> StartAsync(SandboxOptions options, TimeProvider time, CancellationToken cancellationToken = default) =>
        StartOwnedAsync(new SandboxAccount(options, time), cancellationToken);

    /// <summary>Serves an account this server created, and stops its PagerDuty clock and deliveries with the server.</summary>
    private static async Task<SandboxServer> StartOwnedAsync(SandboxAccount account, CancellationToken cancellationToken)
    {
        var server = await StartAsync(account, null, cancellationToken);
        server._ownsAccount = true;
        return server;
    }

    private bool _ownsAccount;

    /// <summary>Serves an existing account (e.g. one the host also uses in-process).</summary>
    public static async Task<SandboxServer> StartAsync(SandboxAccount account, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var urls = LoopbackUrls(account.Options.Urls);
        var builder = WebApplication.CreateSlimBuilder();
        // The embedded server stays quiet and leaves Ctrl+C to its host; only the request handler logs.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var handler = new SandboxRequestHandler(account, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Bot.Sandbox"));
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SandboxServer(app, account, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsAccount) Account.PagerDuty.Dispose();
    }

    /// <summary>Only loopback addresses: the sandbox must never be reachable from the network.</summary>
    internal static string LoopbackUrls(string urls)
    {
        var list = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length == 0) throw new ArgumentException("Sandbox:Urls is empty; use e.g. http://127.0.0.1:4566.");
        foreach (var url in list)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "http")
                throw new ArgumentException($"Sandbox URL '{url}' is not an http URL such as http://127.0.0.1:4566.");
            var loopback = uri.Host == "localhost" || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback) throw new ArgumentException($"Sandbox URL '{url}' is not a loopback address; the sandbox only listens on 127.0.0.1, [::1] or localhost.");
        }
        return string.Join(';', list);
    }

    /// <summary>A host lifetime that neither listens for Ctrl+C nor prints "Application started".</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
