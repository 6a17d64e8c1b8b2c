using System.Text.Json.Serialization;

namespace Bot.Integrations.Slack.BlockKit;

/// <summary>A modal view for <c>views.open</c> / <c>views.update</c>.</summary>
public sealed record ModalView
{
    [JsonPropertyName("type")] public string Type { get; init; } = "modal";
    [JsonPropertyName("callback_id")] public string? CallbackId { get; init; }
    [JsonPropertyName("title")] public TextObject Title { get; init; } = TextObject.Plain("");
    [JsonPropertyName("submit")] public TextObject? Submit { get; init; }
    [JsonPropertyName("close")] public TextObject? Close { get; init; }
    [JsonPropertyName("blocks")] public IReadOnlyList<Block> Blocks { get; init; } = [];
    [JsonPropertyName("private_metadata")] public string? PrivateMetadata { get; init; }
}

/// <summary>An App Home tab for <c>views.publish</c>.</summary>
public sealed record HomeView
{
    [JsonPropertyName("type")] public string Type { get; init; } = "home";
    [JsonPropertyName("callback_id")] public string? CallbackId { get; init; }
    [JsonPropertyName("blocks")] public IReadOnlyList<Block> Blocks { get; init; } = [];
}
