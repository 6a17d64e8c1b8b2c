using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Integrations.Slack.BlockKit;

/// <summary>The one serializer setting used for everything we send to Slack.</summary>
public static class BlockKitJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(IReadOnlyList<Block> blocks) => JsonSerializer.Serialize(blocks, Options);

    public static IReadOnlyList<Block> Deserialize(string json) =>
        JsonSerializer.Deserialize<List<Block>>(json, Options) ?? [];
}
