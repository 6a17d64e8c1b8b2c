using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Bot.Commands.Slack;
using Bot.Commands.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace Bot.Slack.SocketMode;

/// <summary>
/// Slack Socket Mode: when <c>Slack__AppToken</c> is set, the bot opens a WebSocket to Slack
/// (<c>apps.connections.open</c>) instead of waiting for HTTP requests, acks every envelope by its
/// <c>envelope_id</c>, and hands the payload to the same <see cref="SlackDispatcher"/> as the HTTP
/// endpoints. It reconnects when Slack asks (<c>disconnect</c>) or the connection drops, backing off
/// on repeated failures.
/// </summary>
public sealed class SocketModeClient(
    IServiceScopeFactory scopes,
    SlackDispatcher dispatcher,
    IOptionsMonitor<SlackOptions> options,
    TimeProvider time,
    ILogger<SocketModeClient> logger) : BackgroundService
{
    public const int MaxMessageBytes = 1024 * 1024;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Connections opened so far (readiness and tests read it).</summary>
    public int Connections { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.CurrentValue.AppToken)) return;

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var socket = await ConnectAsync(stoppingToken);
                var greeted = await ReceiveAsync(socket, stoppingToken);
                if (socket.State == WebSocketState.Open)
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", stoppingToken);
                // A connection Slack greeted and later asked us to renew is reconnected at once;
                // one closed before its hello counts as a failure, so a broken endpoint is not hammered.
                if (greeted)
                {
                    failures = 0;
                    continue;
                }
                failures++;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                logger.LogWarning("Socket Mode connection failed ({Failure}): {Error}", failures, e.Message);
            }

            var backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, failures - 1)));
            try
            {
                await Task.Delay(backoff, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<ClientWebSocket> ConnectAsync(CancellationToken cancellationToken)
    {
        Uri url;
        await using (var scope = scopes.CreateAsyncScope())
        {
            url = await scope.ServiceProvider.GetRequiredService<SlackWebApiClient>()
                .OpenSocketModeConnectionAsync(options.CurrentValue.AppToken!, cancellationToken);
        }
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(url, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        Connections++;
        logger.LogInformation("Socket Mode connected");
        return socket;
    }

    /// <summary>Reads envelopes until Slack asks to reconnect or closes the connection; true when Slack said hello.</summary>
    private async Task<bool> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var greeted = false;
        while (socket.State == WebSocketState.Open)
        {
            var message = await ReadMessageAsync(socket, cancellationToken);
            if (message is null) return greeted;

            using var envelope = TryParse(message);
            if (envelope is null)
            {
                logger.LogWarning("Socket Mode message that is not a JSON object ignored");
                continue;
            }
            var root = envelope.RootElement;
            var type = SlackPayloads.Str(root, "type");
            if (type == "hello")
            {
                greeted = true;
                continue;
            }
            if (type == "disconnect")
            {
                logger.LogInformation("Socket Mode disconnect requested ({Reason})", SlackPayloads.Str(root, "reason"));
                return greeted;
            }
            if (SlackPayloads.Str(root, "envelope_id") is not { } envelopeId) continue;

            var ack = Dispatch(type, root);
            await SendAsync(socket, Ack(envelopeId, type, ack), cancellationToken);
        }
        return greeted;
    }

    private SlackAckResult? Dispatch(string? type, JsonElement envelope)
    {
        var payload = SlackPayloads.Get(envelope, "payload") ?? default;
        switch (type)
        {
            case "slash_commands":
                var command = SlackPayloads.ParseSlashCommand(payload);
                if (command.Value is { } c) return dispatcher.Command(c);
                logger.LogWarning("Socket Mode slash command refused: {Reason}", command.Error);
                return null;
            case "interactive":
                var interaction = SlackPayloads.ParseInteraction(payload.ValueKind == JsonValueKind.Object ? payload.GetRawText() : "");
                if (interaction.Value is { } i) return dispatcher.Interaction(i);
                logger.LogWarning("Socket Mode interaction refused: {Reason}", interaction.Error);
                return null;
            case "events_api":
                var evt = SlackPayloads.ParseEvent(payload);
                if (evt.Value is { } e)
                {
                    var retry = SlackPayloads.Get(envelope, "retry_attempt") is { ValueKind: JsonValueKind.Number } n && n.GetInt32() > 0 ? n.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
                    return dispatcher.Event(e, retry);
                }
                logger.LogWarning("Socket Mode event refused: {Reason}", evt.Error);
                return null;
            default:
                logger.LogInformation("Socket Mode envelope of type {Type} acknowledged", type);
                return null;
        }
    }

    /// <summary>The ack: the envelope id, plus a slash command's answer when it was ready at once (or an ephemeral text to show).</summary>
    internal static string Ack(string envelopeId, string? type, SlackAckResult? ack)
    {
        if (type == "slash_commands" && ack?.Answer is { } answer)
            return JsonSerializer.Serialize(new { envelope_id = envelopeId, payload = Bot.Commands.Slack.SlackResponsePayload.From(answer) }, Bot.Commands.Slack.BlockKit.BlockKitJson.Options);
        if (type == "slash_commands" && ack?.Text is { } text)
            return JsonSerializer.Serialize(new { envelope_id = envelopeId, payload = new { response_type = "ephemeral", text } });
        return JsonSerializer.Serialize(new { envelope_id = envelopeId });
    }

    private static async Task<string?> ReadMessageAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            if (buffer.Length + result.Count > MaxMessageBytes) throw new InvalidDataException("Socket Mode message too large");
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
                return result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) : "";
        }
    }

    private static Task SendAsync(ClientWebSocket socket, string json, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

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
