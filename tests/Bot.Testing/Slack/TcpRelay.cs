using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Bot.Testing.Slack;

/// <summary>
/// A TCP relay on loopback between the bot and the fake's WebSocket endpoint, so a test can make the network
/// misbehave the way real ones do: hold the bot's bytes, go silent both ways without closing (a half-open
/// connection), or cut the connection abruptly.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<int, NetworkLink> _links = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TcpRelay(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The link whose upstream side connects from <paramref name="port"/> (the remote port the fake's server sees).</summary>
    public NetworkLink? LinkFrom(int port) => _links.TryGetValue(port, out var link) ? link : null;

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(_target, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }
            var link = new NetworkLink(client, upstream);
            _links[((IPEndPoint)upstream.Client.LocalEndPoint!).Port] = link;
            link.Start();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        foreach (var link in _links.Values) link.Cut();
        _stop.Dispose();
    }
}

/// <summary>One relayed connection: bot ⇄ relay ⇄ fake.</summary>
public sealed class NetworkLink
{
    private readonly TcpClient _bot;
    private readonly TcpClient _slack;
    private volatile TaskCompletionSource _fromBot = Open();
    private int _cut;
    private volatile TaskCompletionSource _toBot = Open();

    internal NetworkLink(TcpClient bot, TcpClient slack)
    {
        _bot = bot;
        _slack = slack;
    }

    private static TaskCompletionSource Open()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    internal void Start()
    {
        _ = PumpAsync(_bot.GetStream(), _slack.GetStream(), () => _fromBot.Task);
        _ = PumpAsync(_slack.GetStream(), _bot.GetStream(), () => _toBot.Task);
    }

    /// <summary>What the bot sends (acks, pings) stops reaching Slack; nothing is closed.</summary>
    public void HoldFromBot() => _fromBot = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Nothing gets through either way and nothing is closed: the connection is half-open.</summary>
    public void Freeze()
    {
        HoldFromBot();
        _toBot = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Drops the connection at once (a reset, no WebSocket close).</summary>
    public void Cut()
    {
        if (Interlocked.Exchange(ref _cut, 1) == 1) return;
        foreach (var side in new[] { _bot, _slack })
        {
            try
            {
                side.Client.LingerState = new LingerOption(true, 0);
                side.Dispose();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task PumpAsync(Stream from, Stream to, Func<Task> gate)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                await gate();
                var read = await from.ReadAsync(buffer);
                if (read == 0) break;
                await gate();
                await to.WriteAsync(buffer.AsMemory(0, read));
            }
            to.Close();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
        }
    }
}
