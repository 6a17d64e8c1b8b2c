using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Sandbox.Hosting;

/// <summary>Runs the sandbox server inside a host (the bot's shell and <c>--sandbox</c> server modes).</summary>
internal sealed class SandboxHostedService(SandboxEndpoint endpoint, ILoggerFactory loggerFactory) : IHostedService
{
    private SandboxServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _server = await SandboxServer.StartAsync(endpoint.Account, loggerFactory, cancellationToken);
            loggerFactory.CreateLogger("Bot.Sandbox").LogInformation("Sandbox AWS account listening on {Address}", _server.BaseAddress);
            endpoint.Started(_server.BaseAddress);
        }
        catch (Exception ex)
        {
            endpoint.Failed(ex);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
