using Bot.Integrations.PagerDuty;
using Bot.Hosting;
using Bot.Sandbox.Account;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Bot.PagerDuty;

/// <summary>
/// Points the sandbox's webhook subscription at this bot once it runs: at the server's own
/// <c>/pagerduty/webhooks</c> when it listens on http (server mode with <c>--sandbox</c>), otherwise (the shell,
/// in-memory test servers) at a <see cref="LoopbackWebhookListener"/> serving the same endpoint on 127.0.0.1.
/// Either way the sandbox makes real signed HTTP deliveries.
/// </summary>
internal sealed class SandboxWebhookSubscription(IServiceProvider services, IConfiguration configuration, IHostApplicationLifetime lifetime,
    IOptionsMonitor<PagerDutyOptions> options, ILogger<SandboxWebhookSubscription> logger) : IHostedService, IAsyncDisposable
{
    private LoopbackWebhookListener? _listener;
    private SandboxAccount? _account;
    private Task _subscribing = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!SandboxHosting.SandboxEnabled(configuration)) return Task.CompletedTask;
        // The server's addresses are known only once it has started.
        lifetime.ApplicationStarted.Register(() => _subscribing = SubscribeAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var url = OwnAddress();
            if (url is null)
            {
                _listener = await LoopbackWebhookListener.StartAsync(services, cancellationToken);
                url = _listener.WebhookUrl;
            }
            _account = services.GetRequiredService<SandboxAccount>();
            _account.PagerDuty.Webhooks.Subscribe(url, options.CurrentValue.WebhookSecret);
            logger.LogInformation("Sandbox PagerDuty delivers its webhooks to {Url}", url);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not subscribe to the sandbox's PagerDuty webhooks; incidents will not reach the bot");
        }
    }

    /// <summary>This server's own webhook URL on loopback, when it listens on http.</summary>
    private Uri? OwnAddress()
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            var normalized = address.Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Scheme != "http") continue;
            var host = uri.Host is "0.0.0.0" or "[::]" or "::" or "localhost" ? "127.0.0.1" : uri.Host;
            return new UriBuilder("http", host, uri.Port, PagerDutyRoutes.Webhooks.TrimStart('/')).Uri;
        }
        return null;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _subscribing;
        // Services are not asked for here: the host may already be disposing them.
        _account?.PagerDuty.Webhooks.Unsubscribe();
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is { } listener)
        {
            _listener = null;
            await listener.DisposeAsync();
        }
    }
}
