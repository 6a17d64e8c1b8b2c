namespace Bot.Commands.Status;

/// <summary>What <c>/sb status</c> shows, read by the host (<see cref="IBotStatus"/>): this instance, the store's snapshot, the outside services and Socket Mode.</summary>
/// <param name="ThisInstanceId">The id under which this instance's heartbeat is written, so the list of instances can mark it.</param>
/// <param name="SocketMode">The Socket Mode connections, or <c>null</c> when requests arrive over HTTP.</param>
public sealed record BotStatusReport(
    string Version,
    string Host,
    string ThisInstanceId,
    TimeSpan Uptime,
    OperationsSnapshot Store,
    IReadOnlyList<Connectivity> Services,
    SocketModeState? SocketMode);

/// <summary>One service's answer to a cheap read: reachable, how fast, or what went wrong (never a secret).</summary>
public sealed record Connectivity(string Service, bool? Reachable, string Detail, TimeSpan Took)
{
    public static Connectivity NotConfigured(string service, string detail) => new(service, null, detail, TimeSpan.Zero);
}

/// <summary>The Socket Mode connections: how many are open of those wanted, and how many were opened since start.</summary>
public sealed record SocketModeState(int Open, int Wanted, int OpenedSinceStart);

/// <summary>The port <c>/sb status</c> reads: the host knows its instance, its store, its transports and the outside services.</summary>
public interface IBotStatus
{
    /// <summary>Writes this instance's heartbeat, then reads the store and asks every outside service at once.</summary>
    Task<BotStatusReport> ReadAsync(CancellationToken cancellationToken);
}
