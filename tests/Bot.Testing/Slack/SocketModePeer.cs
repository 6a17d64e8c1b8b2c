using System.Net.WebSockets;
using System.Text;

namespace Bot.Testing.Slack;

/// <summary>Slack's side of one Socket Mode WebSocket: the test sends envelopes and reads the bot's acks.</summary>
public sealed class SocketModePeer(WebSocket socket)
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the test closes the connection or the bot goes away.</summary>
    public Task Closed => _closed.Task;

    public Task SendAsync(string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>The bot's next message (an ack), or null when it closed the connection.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(chunk, cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                _closed.TrySetResult();
                return null;
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                _closed.TrySetResult();
                return null;
            }
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage) return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    public async Task CloseAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }
        finally
        {
            _closed.TrySetResult();
        }
    }
}
