using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Bot.Testing.Slack;

/// <summary>
/// Slack's side of one Socket Mode WebSocket: the test sends envelopes and reads the bot's acks. It reads all the
/// time in the background (so the bot's pings are answered, as Slack's servers do) and keeps what arrives for
/// <see cref="ReceiveAsync"/>. <see cref="Link"/> makes the network between them misbehave.
/// </summary>
public sealed class SocketModePeer
{
    private readonly WebSocket _socket;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<string> _received = Channel.CreateUnbounded<string>();

    public SocketModePeer(WebSocket socket, NetworkLink? link)
    {
        _socket = socket;
        Link = link;
        _ = Task.Run(ReadLoopAsync);
    }

    /// <summary>The relayed TCP connection under this socket.</summary>
    public NetworkLink? Link { get; }

    /// <summary>Completes when either side closed the connection or it broke.</summary>
    public Task Closed => _closed.Task;

    public Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>The bot's next message (an ack), or null when the connection closed first or nothing came in time.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            return null;
        }
    }

    private async Task ReadLoopAsync()
    {
        var chunk = new byte[8192];
        using var buffer = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(chunk, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) break;
                buffer.Write(chunk, 0, result.Count);
                if (!result.EndOfMessage) continue;
                _received.Writer.TryWrite(Encoding.UTF8.GetString(buffer.ToArray()));
                buffer.SetLength(0);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
        _received.Writer.TryComplete();
        _closed.TrySetResult();
    }

    public async Task CloseAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _closed.TrySetResult();
        }
    }
}
