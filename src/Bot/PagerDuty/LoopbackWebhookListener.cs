using Bot.Integrations.PagerDuty;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Bot.PagerDuty;

/// <summary>
/// <c>POST /pagerduty/webhooks</c> on 127.0.0.1 (a free port) for a bot that has no HTTP server of its own
/// (the shell), so the sandbox's PagerDuty can deliver to it over real HTTP. The endpoint is the server's,
/// with the host's inbox and settings.
/// </summary>
internal sealed class LoopbackWebhookListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackWebhookListener(WebApplication app, Uri webhookUrl)
    {
        _app = app;
        WebhookUrl = webhookUrl;
    }

    public Uri WebhookUrl { get; }

    public static async Task<LoopbackWebhookListener> StartAsync(IServiceProvider host, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var app = builder.Build();
        app.MapPost(PagerDutyRoutes.Webhooks, (Delegate)((HttpContext context) => PagerDutyWebhookEndpoint.HandleAsync(context,
            host.GetRequiredService<IOptionsMonitor<PagerDutyOptions>>(), host.GetRequiredService<PagerDutyInbox>(), host.GetRequiredService<ILoggerFactory>())));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackWebhookListener(app, new Uri(new Uri(address.TrimEnd('/') + "/"), PagerDutyRoutes.Webhooks.TrimStart('/')));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Leaves Ctrl+C to the shell and prints nothing.</summary>
    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
