using Bot.Commands.Status;
using Bot.Slack.SocketMode;

namespace Bot.Operations;

/// <summary>
/// <c>/sb status</c>'s port in the host: writes this instance's heartbeat, reads the store's snapshot while Slack,
/// PagerDuty and AWS are asked whether they answer, and adds the Socket Mode connections when that transport is on.
/// </summary>
public sealed class BotStatus(OperationsMonitor monitor, ConnectivityChecks connectivity, BotInstance instance, IServiceProvider services, TimeProvider time) : IBotStatus
{
    public async Task<BotStatusReport> ReadAsync(CancellationToken cancellationToken)
    {
        await monitor.HeartbeatAsync(cancellationToken);
        var snapshotTask = monitor.ReadAsync(cancellationToken);
        var checks = await connectivity.RunAsync(cancellationToken);
        var snapshot = await snapshotTask;
        var socketMode = services.GetService<SocketModeClient>() is { Enabled: true } client
            ? new SocketModeState(client.OpenConnections, client.WantedConnections, client.ConnectionsOpened)
            : null;
        return new BotStatusReport(BotInstance.Version, instance.Host, instance.Id, instance.Uptime(time.GetUtcNow()), snapshot, checks, socketMode);
    }
}
