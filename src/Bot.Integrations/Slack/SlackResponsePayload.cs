using System.Text.Json;
using System.Text.Json.Serialization;
using Bot.Integrations.Slack.BlockKit;
using Bot.Workflows.Messages;

namespace Bot.Integrations.Slack;

/// <summary>
/// An answer to a request as Slack takes it, in a slash command's acknowledgement or on its <c>response_url</c>: text,
/// blocks (both cut to Slack's limits by <see cref="SlackMessageLimits.Fit(string, JsonElement?)"/>), ephemeral or in channel.
/// </summary>
public sealed record SlackResponsePayload
{
    [JsonPropertyName("text")] public required string Text { get; init; }
    /// <summary>The blocks: as typed when they are within Slack's limits, else as <see cref="JsonElement"/> after cutting.</summary>
    [JsonPropertyName("blocks")] public object? Blocks { get; init; }
    [JsonPropertyName("response_type")] public required string ResponseType { get; init; }
    [JsonPropertyName("replace_original")] public bool ReplaceOriginal { get; init; }

    public static SlackResponsePayload From(ChatMessage message) => From(MessageRenderer.Render(message));

    public static SlackResponsePayload From(SlackMessage message)
    {
        var text = message.Text;
        object? blocks = message.Blocks.Count == 0 ? null : message.Blocks;
        if (!SlackMessageLimits.WithinLimits(text, message.Blocks))
        {
            var fitted = SlackMessageLimits.Fit(text, SlackMessageLimits.ToJson(message.Blocks));
            (text, blocks) = (fitted.Text, fitted.Blocks);
        }
        return new SlackResponsePayload
        {
            Text = text,
            Blocks = blocks,
            ResponseType = message.Ephemeral ? "ephemeral" : "in_channel",
            ReplaceOriginal = message.ReplaceOriginal,
        };
    }

    /// <summary>
    /// The payload as UTF-8 JSON. Messages are immutable, so one answered again and again (the help overview, built
    /// once) is serialized once.
    /// </summary>
    public static byte[] Utf8Json(ChatMessage message) =>
        Serialized.GetValue(message, m => Utf8Json(MessageRenderer.Render(m)));

    /// <summary>The payload of a message already rendered for Slack, as UTF-8 JSON.</summary>
    public static byte[] Utf8Json(SlackMessage message) => JsonSerializer.SerializeToUtf8Bytes(From(message), BlockKitJson.Options);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ChatMessage, byte[]> Serialized = new();
}
