using System.Globalization;
using System.Text.Json;

namespace Bot.Slack.SocketMode;

/// <summary>
/// Turns one Socket Mode envelope into the same parsed request the HTTP endpoints make and hands it to
/// <see cref="SlackDispatcher"/> (which only queues the work, so the ack goes out at once); builds the ack.
/// A redelivery (the same <c>trigger_id</c> or <c>event_id</c> over either connection) is stopped by
/// <see cref="SlackReplayGuard"/> in the queued work, exactly as over HTTP.
/// </summary>
public sealed class SocketModeEnvelopes(SlackDispatcher dispatcher, ILogger<SocketModeEnvelopes> logger)
{
    public SlackAckResult? Dispatch(string? type, JsonElement envelope)
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
                    var retry = SlackPayloads.Get(envelope, "retry_attempt") is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out var attempt) && attempt > 0
                        ? attempt.ToString(CultureInfo.InvariantCulture)
                        : null;
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
    public static string Ack(string envelopeId, string? type, SlackAckResult? ack)
    {
        if (type == "slash_commands" && ack?.Answer is { } answer)
            return JsonSerializer.Serialize(new { envelope_id = envelopeId, payload = Bot.Integrations.Slack.SlackResponsePayload.From(answer) }, Bot.Integrations.Slack.BlockKit.BlockKitJson.Options);
        if (type == "slash_commands" && ack?.Text is { } text)
            return JsonSerializer.Serialize(new { envelope_id = envelopeId, payload = new { response_type = "ephemeral", text } });
        return JsonSerializer.Serialize(new { envelope_id = envelopeId });
    }
}
