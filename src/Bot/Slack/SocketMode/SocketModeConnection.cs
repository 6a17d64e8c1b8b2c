using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Bot.Workflows.Telemetry;

namespace Bot.Slack.SocketMode;

/// <summary>Why a Socket Mode connection stopped serving.</summary>
public enum SocketModeEnd
{
    /// <summary>Slack sent <c>disconnect</c>: the connection still works until a replacement is up.</summary>
    RefreshRequested,
    /// <summary>Slack (or the network) closed it.</summary>
    Closed,
    /// <summary>It broke: an error, or a ping went unanswered (a half-open connection).</summary>
    Failed,
}

/// <summary>
/// One Socket Mode WebSocket. It pings Slack every <see cref="SocketModeOptions.PingInterval"/> and gives up on the
/// connection when a pong does not come back within <see cref="SocketModeOptions.PingTimeout"/>, so a connection whose
/// other end vanished without closing (half-open) is noticed instead of leaving the bot deaf. Every envelope is acked
/// by its <c>envelope_id</c> as soon as its work is queued, never after the work; an event the bot is too busy to queue
/// is left unacked, so Slack delivers it again.
/// </summary>
public sealed class SocketModeConnection : IAsyncDisposable
{
    public const int MaxMessageBytes = 1024 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly SocketModeEnvelopes _envelopes;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<SocketModeEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _abort = new();
    private Task _receiving = Task.CompletedTask;
    private int _disposed;

    private SocketModeConnection(ClientWebSocket socket, SocketModeEnvelopes envelopes, string name, ILogger logger)
    {
        _socket = socket;
        _envelopes = envelopes;
        _logger = logger;
        Name = name;
    }

    /// <summary>For the log: which slot and which connection of it.</summary>
    public string Name { get; }

    /// <summary>Completes when the connection stops serving (a refresh request leaves it open until it is closed).</summary>
    public Task<SocketModeEnd> Ended => _ended.Task;

    public bool IsOpen => _socket.State == WebSocketState.Open && !_receiving.IsCompleted;

    /// <summary>Connects to <paramref name="url"/> and waits for Slack's <c>hello</c>; throws when either fails or takes too long.</summary>
    public static async Task<SocketModeConnection> OpenAsync(Uri url, string name, SocketModeOptions options, SocketModeEnvelopes envelopes, ILogger logger,
        CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = options.PingInterval;
        socket.Options.KeepAliveTimeout = options.PingTimeout;
        var connection = new SocketModeConnection(socket, envelopes, name, logger);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.HelloTimeout);
            await socket.ConnectAsync(url, timeout.Token);
            connection._receiving = Task.Run(connection.ReceiveLoopAsync, CancellationToken.None);
            await connection._hello.Task.WaitAsync(timeout.Token);
            return connection;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync();
            throw new TimeoutException($"Slack did not say hello within {options.HelloTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var end = SocketModeEnd.Closed;
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var message = await ReadMessageAsync(_abort.Token);
                if (message is null) break;
                await HandleAsync(message);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidDataException or IOException)
        {
            if (!_abort.IsCancellationRequested)
            {
                end = SocketModeEnd.Failed;
                _logger.LogWarning("Socket Mode connection {Connection} broke: {Error}", Name, e.Message);
            }
        }
        _hello.TrySetException(new WebSocketException("The connection closed before Slack said hello."));
        _ended.TrySetResult(end);
    }

    private async Task HandleAsync(string message)
    {
        var arrived = Stopwatch.GetTimestamp();
        using var envelope = TryParse(message);
        if (envelope is null)
        {
            _logger.LogWarning("Socket Mode message that is not a JSON object ignored");
            return;
        }
        var root = envelope.RootElement;
        var type = SlackPayloads.Str(root, "type");
        switch (type)
        {
            case "hello":
                _hello.TrySetResult();
                return;
            case "disconnect":
                _logger.LogInformation("Socket Mode connection {Connection}: Slack asked to reconnect ({Reason})", Name, SlackPayloads.Str(root, "reason"));
                _ended.TrySetResult(SocketModeEnd.RefreshRequested);
                return;
        }
        if (SlackPayloads.Str(root, "envelope_id") is not { } envelopeId) return;

        SlackAckResult? ack = null;
        try
        {
            ack = _envelopes.Dispatch(type, root);
        }
        catch (Exception e)
        {
            // Still acked: Slack would only send it again, and the failure would repeat.
            _logger.LogError(e, "Socket Mode envelope {EnvelopeId} of type {Type} could not be dispatched", envelopeId, type);
        }
        if (ack?.Ack == SlackAck.Busy && type == "events_api")
        {
            // Not acked, so Slack delivers the event again later (as a 503 does over HTTP); a command or a click is
            // answered with the busy text instead, since Slack never sends those twice.
            _logger.LogWarning("Socket Mode event envelope {EnvelopeId} not acknowledged: the bot is busy, Slack will deliver it again", envelopeId);
            return;
        }
        await SendAsync(SocketModeEnvelopes.Ack(envelopeId, type, ack), _abort.Token);
        BotTelemetry.AckDuration.Record(Stopwatch.GetElapsedTime(arrived).TotalSeconds,
            new KeyValuePair<string, object?>("transport", "socket_mode"), new KeyValuePair<string, object?>("kind", type));
    }

    /// <summary>Says goodbye (a close frame), waits a moment for Slack's answer, then lets go of the socket.</summary>
    public async Task CloseAsync(string reason)
    {
        try
        {
            await _sendLock.WaitAsync();
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }
            await _receiving.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException or IOException or ObjectDisposedException)
        {
            _logger.LogDebug("Socket Mode connection {Connection} did not close cleanly: {Error}", Name, e.Message);
        }
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _abort.CancelAsync();
        _socket.Abort();
        try
        {
            await _receiving;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        _ended.TrySetResult(SocketModeEnd.Closed);
        _socket.Dispose();
        _abort.Dispose();
    }

    private async Task SendAsync(string json, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task<string?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(chunk, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            if (buffer.Length + result.Count > MaxMessageBytes) throw new InvalidDataException("Socket Mode message too large");
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
                return result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) : "";
        }
    }

    private static JsonDocument? TryParse(string message)
    {
        try
        {
            var document = JsonDocument.Parse(message);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
