using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Testing;

namespace Bot.Testing.Aws;

/// <summary>Recorded example responses from fixtures/aws, turned into wire bodies.</summary>
public static class FixtureResponses
{
    /// <summary>The <c>output</c> of a botocore example (for rest-json Lambda it is the body as is).</summary>
    public static string BotocoreOutput(string relative)
    {
        var node = JsonNode.Parse(Fixtures.ReadText(relative))!;
        return node["output"]!.ToJsonString();
    }

    /// <summary>
    /// The <c>output</c> of an AWS CLI example, with the ISO timestamps the CLI printed turned back
    /// into the epoch seconds of the JSON wire protocol.
    /// </summary>
    public static string CliOutputAsWire(string relative, int example = 0, params string[] timestampMembers)
    {
        var node = JsonNode.Parse(Fixtures.ReadText(relative))!["examples"]![example]!["output"]!.DeepClone();
        Convert(node, timestampMembers.ToHashSet());
        return node.ToJsonString();
    }

    public static JsonNode CliExample(string relative, int example = 0) => JsonNode.Parse(Fixtures.ReadText(relative))!["examples"]![example]!;

    private static void Convert(JsonNode? node, HashSet<string> members)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (members.Contains(key) && value is JsonValue v && v.TryGetValue<string>(out var s)) obj[key] = Epoch(s);
                    else if (members.Contains(key) && value is JsonArray arr)
                        obj[key] = new JsonArray(arr.Select(a => (JsonNode?)Epoch(a!.GetValue<string>())).ToArray());
                    else Convert(value, members);
                }
                break;
            case JsonArray array:
                foreach (var item in array) Convert(item, members);
                break;
        }
    }

    private static JsonNode Epoch(string iso) =>
        JsonValue.Create(DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds() / 1000.0);

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
