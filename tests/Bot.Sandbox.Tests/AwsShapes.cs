using System.Text.Json;
using Bot.Testing;

namespace Bot.Sandbox.Tests;

/// <summary>
/// Checks a JSON answer against the botocore shapes in <c>fixtures/aws/shapes</c>: every member must be a
/// modeled member with the exact name, of the modeled JSON type (timestamps as epoch-second numbers,
/// enum values from the enum), and required members must be present.
/// </summary>
internal static class AwsShapes
{
    private static readonly Dictionary<string, JsonElement> Cache = new();

    public static void AssertMatches(string service, string shape, JsonElement value)
    {
        var problems = new List<string>();
        Check(Shapes(service), shape, value, "$", problems);
        Assert.True(problems.Count == 0, $"{service} {shape}:\n" + string.Join("\n", problems));
    }

    private static JsonElement Shapes(string service)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(service, out var shapes))
            {
                shapes = JsonDocument.Parse(ShapeText(service)).RootElement.GetProperty("shapes");
                Cache[service] = shapes;
            }
            return shapes;
        }
    }

    private static void Check(JsonElement shapes, string name, JsonElement value, string path, List<string> problems)
    {
        if (!shapes.TryGetProperty(name, out var shape))
        {
            problems.Add($"{path}: shape {name} is not in the fixture");
            return;
        }
        var type = shape.GetProperty("type").GetString();
        switch (type)
        {
            case "structure":
                if (value.ValueKind != JsonValueKind.Object) { problems.Add($"{path}: expected an object for {name}"); return; }
                var members = shape.GetProperty("members");
                foreach (var p in value.EnumerateObject())
                {
                    if (!members.TryGetProperty(p.Name, out var member)) problems.Add($"{path}.{p.Name}: not a member of {name}");
                    else Check(shapes, member.GetProperty("shape").GetString()!, p.Value, $"{path}.{p.Name}", problems);
                }
                if (shape.TryGetProperty("required", out var required))
                    foreach (var r in required.EnumerateArray())
                        if (!value.TryGetProperty(r.GetString()!, out _)) problems.Add($"{path}: required member {r.GetString()} of {name} is missing");
                break;
            case "list":
                if (value.ValueKind != JsonValueKind.Array) { problems.Add($"{path}: expected a list for {name}"); return; }
                var item = shape.GetProperty("member").GetProperty("shape").GetString()!;
                var i = 0;
                foreach (var e in value.EnumerateArray()) Check(shapes, item, e, $"{path}[{i++}]", problems);
                break;
            case "map":
                if (value.ValueKind != JsonValueKind.Object) { problems.Add($"{path}: expected a map for {name}"); return; }
                var valueShape = shape.GetProperty("value").GetProperty("shape").GetString()!;
                foreach (var p in value.EnumerateObject()) Check(shapes, valueShape, p.Value, $"{path}.{p.Name}", problems);
                break;
            case "string":
                if (value.ValueKind != JsonValueKind.String) { problems.Add($"{path}: expected a string for {name}"); return; }
                if (shape.TryGetProperty("enum", out var values) && values.EnumerateArray().All(v => v.GetString() != value.GetString()))
                    problems.Add($"{path}: '{value.GetString()}' is not a value of enum {name}");
                break;
            case "integer" or "long":
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _)) problems.Add($"{path}: expected an integer for {name}");
                break;
            case "double" or "float":
                if (value.ValueKind != JsonValueKind.Number) problems.Add($"{path}: expected a number for {name}");
                break;
            case "timestamp":
                if (value.ValueKind != JsonValueKind.Number) problems.Add($"{path}: expected epoch seconds (a number) for timestamp {name}");
                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) problems.Add($"{path}: expected a boolean for {name}");
                break;
            case "blob":
                if (value.ValueKind != JsonValueKind.String || !IsBase64(value.GetString()!)) problems.Add($"{path}: expected base64 text for blob {name}");
                break;
            default:
                problems.Add($"{path}: unexpected shape type {type}");
                break;
        }
    }

    private static bool IsBase64(string text) => Convert.TryFromBase64String(text, new byte[text.Length], out _);

    /// <summary>The shapes of a service: this project's own extracts in <c>Shapes/</c> (see its README), else the vendored fixtures.</summary>
    internal static string ShapeText(string service)
    {
        var own = Path.Combine(AppContext.BaseDirectory, "Shapes", service + ".shapes.json");
        return File.Exists(own) ? File.ReadAllText(own) : Fixtures.ReadText($"aws/shapes/{service}.shapes.json");
    }
}
