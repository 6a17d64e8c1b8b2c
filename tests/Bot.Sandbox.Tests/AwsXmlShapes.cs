using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Bot.Testing;

namespace Bot.Sandbox.Tests;

/// <summary>
/// Checks a query-protocol XML answer against the botocore shapes in <c>fixtures/aws/shapes</c>: every element is
/// a modeled member with the exact name, in the model's <c>xmlOrder</c>; lists hold <c>member</c> elements, maps
/// <c>entry</c>/<c>key</c>/<c>value</c>; timestamps are ISO 8601, numbers and booleans parse, enum values are modeled.
/// </summary>
internal static class AwsXmlShapes
{
    public static void AssertMatches(string service, string shape, XElement element)
    {
        using var doc = JsonDocument.Parse(ShapeText(service));
        var problems = new List<string>();
        Check(doc.RootElement.GetProperty("shapes"), shape, element, element.Name.LocalName, problems);
        Assert.True(problems.Count == 0, $"{service} {shape}:\n" + string.Join("\n", problems));
    }

    private static void Check(JsonElement shapes, string name, XElement e, string path, List<string> problems)
    {
        var shape = shapes.GetProperty(name);
        switch (shape.GetProperty("type").GetString())
        {
            case "structure":
                var members = shape.GetProperty("members");
                var order = shape.TryGetProperty("xmlOrder", out var xo) ? xo.EnumerateArray().Select(x => x.GetString()!).ToList() : null;
                var last = -1;
                foreach (var child in e.Elements())
                {
                    var member = child.Name.LocalName;
                    if (!members.TryGetProperty(member, out var m))
                    {
                        problems.Add($"{path}/{member}: not a member of {name}");
                        continue;
                    }
                    if (order is not null)
                    {
                        var at = order.IndexOf(member);
                        if (at < last) problems.Add($"{path}/{member}: out of the xmlOrder of {name}");
                        last = Math.Max(last, at);
                    }
                    Check(shapes, m.GetProperty("shape").GetString()!, child, $"{path}/{member}", problems);
                }
                if (shape.TryGetProperty("required", out var required))
                    foreach (var r in required.EnumerateArray())
                        if (e.Elements().All(c => c.Name.LocalName != r.GetString()))
                            problems.Add($"{path}: required member {r.GetString()} of {name} is missing");
                break;
            case "list":
                var item = shape.GetProperty("member").GetProperty("shape").GetString()!;
                foreach (var child in e.Elements())
                    if (child.Name.LocalName != "member") problems.Add($"{path}/{child.Name.LocalName}: list items must be <member>");
                    else Check(shapes, item, child, $"{path}/member", problems);
                break;
            case "map":
                var valueShape = shape.GetProperty("value").GetProperty("shape").GetString()!;
                foreach (var entry in e.Elements())
                {
                    if (entry.Name.LocalName != "entry" || entry.Elements().Select(x => x.Name.LocalName).Order().SequenceEqual(["key", "value"]) is false)
                        problems.Add($"{path}: map items must be <entry><key/><value/></entry>");
                    else Check(shapes, valueShape, entry.Elements().Single(x => x.Name.LocalName == "value"), $"{path}/entry/value", problems);
                }
                break;
            case "string":
                if (e.HasElements) problems.Add($"{path}: expected text for {name}");
                if (shape.TryGetProperty("enum", out var values) && values.EnumerateArray().All(v => v.GetString() != e.Value))
                    problems.Add($"{path}: '{e.Value}' is not a value of enum {name}");
                break;
            case "integer" or "long":
                if (!long.TryParse(e.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) problems.Add($"{path}: '{e.Value}' is not an integer");
                break;
            case "double" or "float":
                if (!double.TryParse(e.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || !e.Value.Contains('.'))
                    problems.Add($"{path}: '{e.Value}' is not a double as CloudWatch writes one (with a decimal point)");
                break;
            case "timestamp":
                if (!DateTimeOffset.TryParseExact(e.Value, ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.fff'Z'"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
                    problems.Add($"{path}: '{e.Value}' is not an ISO 8601 UTC timestamp");
                break;
            case "boolean":
                if (e.Value is not ("true" or "false")) problems.Add($"{path}: '{e.Value}' is not a boolean");
                break;
            default:
                problems.Add($"{path}: unexpected shape type");
                break;
        }
    }

    /// <summary>The shapes of a service: this project's own extracts in <c>Shapes/</c> (see its README), else the vendored fixtures.</summary>
    internal static string ShapeText(string service)
    {
        var own = Path.Combine(AppContext.BaseDirectory, "Shapes", service + ".shapes.json");
        return File.Exists(own) ? File.ReadAllText(own) : Fixtures.ReadText($"aws/shapes/{service}.shapes.json");
    }
}
