using System.Globalization;
using System.Text.Json;
using System.Xml;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.Dashboards;

/// <summary>One metric line of a widget: the metric, its statistic and period, and its label.</summary>
public sealed record WidgetMetric(string Namespace, string MetricName, IReadOnlyList<KeyValuePair<string, string>> Dimensions, string Stat, int Period, string Label);

/// <summary>
/// A GetMetricWidgetImage <c>MetricWidget</c> (the JSON of a dashboard widget's properties plus size and time range):
/// <c>metrics</c> in the dashboard's array form, including the <c>"..."</c> (repeat the previous metric, replacing its last
/// values) and <c>"."</c> (repeat the previous metric's value at this place) shorthands and a trailing options object
/// (<c>stat</c>, <c>period</c>, <c>label</c>); <c>stat</c> (default Average), <c>period</c> (default 300),
/// <c>start</c>/<c>end</c> (ISO 8601 times or durations such as <c>-PT3H</c>; defaults -PT3H and now), <c>width</c>/<c>height</c>
/// (default 600 × 395 pixels), <c>title</c>, <c>view</c>, <c>stacked</c>, <c>yAxis.left.min/max/label</c>, <c>legend.position</c>
/// and horizontal <c>annotations</c>. Expressions in <c>metrics</c> are not drawn.
/// </summary>
public sealed record MetricWidget(
    IReadOnlyList<WidgetMetric> Metrics,
    DateTimeOffset Start,
    DateTimeOffset End,
    int Width,
    int Height,
    string? Title,
    string View,
    bool Stacked,
    double? YMin,
    double? YMax,
    string? YLabel,
    string LegendPosition,
    IReadOnlyList<(double Value, string? Label)> Annotations)
{
    public static MetricWidget Parse(string json, DateTimeOffset now)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException ex)
        {
            throw Invalid("The field MetricWidget must be valid JSON: " + ex.Message);
        }
        if (root.ValueKind != JsonValueKind.Object) throw Invalid("The field MetricWidget must be a JSON object.");
        var stat = Text(root, "stat") ?? "Average";
        var period = Number(root, "period") is { } p ? (int)p : 300;
        if (!root.TryGetProperty("metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Array || metrics.GetArrayLength() == 0)
            throw Invalid("The parameter MetricWidget.metrics is required and must be a non-empty array.");
        var lines = new List<WidgetMetric>();
        List<string>? previous = null;
        foreach (var entry in metrics.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Array) throw Invalid("Each member of MetricWidget.metrics must be an array.");
            var items = entry.EnumerateArray().ToList();
            var options = items.Count > 0 && items[^1].ValueKind == JsonValueKind.Object ? items[^1] : default;
            if (options.ValueKind == JsonValueKind.Object) items.RemoveAt(items.Count - 1);
            if (items.Count == 0 && options.ValueKind == JsonValueKind.Object && options.TryGetProperty("expression", out _)) continue;
            var values = items.Select(i => i.ValueKind == JsonValueKind.String ? i.GetString()! : throw Invalid("Metric array members must be strings.")).ToList();
            if (values.Count > 0 && values[0] == "...")
            {
                if (previous is null) throw Invalid("\"...\" needs a metric before it.");
                values = [.. previous.Take(Math.Max(0, previous.Count - (values.Count - 1))), .. values.Skip(1)];
            }
            for (var i = 0; i < values.Count; i++)
                if (values[i] == ".")
                    values[i] = previous is not null && i < previous.Count ? previous[i] : throw Invalid("\".\" needs a metric before it with a value at that place.");
            if (values.Count < 2 || values.Count % 2 != 0) throw Invalid("A metric is [namespace, metricName, dimensionName, dimensionValue, …].");
            previous = values;
            var dims = new List<KeyValuePair<string, string>>();
            for (var i = 2; i < values.Count; i += 2) dims.Add(new(values[i], values[i + 1]));
            var lineStat = options.ValueKind == JsonValueKind.Object ? Text(options, "stat") ?? stat : stat;
            var linePeriod = options.ValueKind == JsonValueKind.Object && Number(options, "period") is { } lp ? (int)lp : period;
            var label = options.ValueKind == JsonValueKind.Object ? Text(options, "label") : null;
            lines.Add(new WidgetMetric(values[0], values[1], dims, lineStat, linePeriod,
                label ?? (dims.Count > 0 ? $"{values[1]} {dims[^1].Value}" : values[1])));
        }
        var end = Time(Text(root, "end"), now, now);
        var start = Time(Text(root, "start"), now, now.AddHours(-3));
        if (start >= end) throw Invalid("The MetricWidget start must be before its end.");
        var width = Number(root, "width") is { } w ? (int)w : 600;
        var height = Number(root, "height") is { } h ? (int)h : 395;
        if (width is < 1 or > 2000 || height is < 1 or > 2000) throw Invalid("MetricWidget width and height must be between 1 and 2000 pixels.");
        var left = root.TryGetProperty("yAxis", out var y) && y.TryGetProperty("left", out var l) ? l : default;
        var annotations = new List<(double, string?)>();
        if (root.TryGetProperty("annotations", out var a) && a.TryGetProperty("horizontal", out var horizontal) && horizontal.ValueKind == JsonValueKind.Array)
            foreach (var line in horizontal.EnumerateArray())
                if (Number(line, "value") is { } v) annotations.Add((v, Text(line, "label")));
        return new MetricWidget(lines, start, end, width, height, Text(root, "title"), Text(root, "view") ?? "timeSeries",
            root.TryGetProperty("stacked", out var st) && st.ValueKind == JsonValueKind.True,
            left.ValueKind == JsonValueKind.Object ? Number(left, "min") : null,
            left.ValueKind == JsonValueKind.Object ? Number(left, "max") : null,
            left.ValueKind == JsonValueKind.Object ? Text(left, "label") : null,
            root.TryGetProperty("legend", out var legend) ? Text(legend, "position") ?? "bottom" : "bottom",
            annotations);
    }

    /// <summary>An absolute ISO 8601 time, or a duration relative to now (<c>-PT3H</c>, <c>-P7D</c>, <c>P0D</c>).</summary>
    private static DateTimeOffset Time(string? text, DateTimeOffset now, DateTimeOffset fallback)
    {
        if (text is null) return fallback;
        var negative = text.StartsWith('-');
        var body = negative ? text[1..] : text;
        if (body.StartsWith('P'))
        {
            try
            {
                var span = XmlConvert.ToTimeSpan(body);
                return negative ? now - span : now + span;
            }
            catch (FormatException)
            {
                throw Invalid($"The MetricWidget time '{text}' is not an ISO 8601 duration.");
            }
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime() : throw Invalid($"The MetricWidget time '{text}' is not an ISO 8601 time or duration.");
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static AwsException Invalid(string message) => new("InvalidParameterValueException", message);
}
