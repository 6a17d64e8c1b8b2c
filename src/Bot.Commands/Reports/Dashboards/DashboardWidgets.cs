using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Commands.Reports.Dashboards;

/// <summary>A metric widget of a dashboard: its title and the <c>MetricWidget</c> JSON that GetMetricWidgetImage draws.</summary>
public sealed record DashboardWidget(string Title, string MetricWidget);

/// <summary>
/// Reads a dashboard's body (<c>{"widgets":[{"type":"metric","properties":{…}}, …]}</c>) into the metric widgets CloudWatch can
/// draw: each widget's properties as they are (the console's <c>"..."</c> and <c>"."</c> shorthand included), with the
/// image's size and the time range added. Text, log and alarm widgets are left out; a body that is not a dashboard gives none.
/// </summary>
public static class DashboardWidgets
{
    public const int Width = 800;
    public const int Height = 400;
    public const int MaxWidgets = 20;

    public static IReadOnlyList<DashboardWidget> Parse(string? body, TimeSpan since)
    {
        if (string.IsNullOrWhiteSpace(body)) return [];
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return [];
        }
        if (root?["widgets"] is not JsonArray widgets) return [];
        var result = new List<DashboardWidget>();
        foreach (var widget in widgets.OfType<JsonObject>())
        {
            if (widget["type"]?.GetValueKind() != JsonValueKind.String || widget["type"]!.GetValue<string>() != "metric") continue;
            if (widget["properties"] is not JsonObject properties || properties["metrics"] is not JsonArray { Count: > 0 }) continue;
            var image = (JsonObject)properties.DeepClone();
            image["width"] = Width;
            image["height"] = Height;
            image["start"] = "-PT" + Math.Max(1, (int)Math.Ceiling(since.TotalMinutes)).ToString(CultureInfo.InvariantCulture) + "M";
            var title = image["title"]?.GetValueKind() == JsonValueKind.String ? image["title"]!.GetValue<string>() : $"Widget {result.Count + 1}";
            result.Add(new DashboardWidget(title, image.ToJsonString()));
            if (result.Count == MaxWidgets) break;
        }
        return result;
    }
}
