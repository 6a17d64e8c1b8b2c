using System.Text.Json.Serialization;
using Bot.Integrations.Aws.Json;

namespace Bot.Integrations.Aws.CloudWatch;

// Shapes from fixtures/aws/shapes/cloudwatch.shapes.json. Timestamps are epoch seconds on the JSON 1.0 wire.

public sealed record Dimension(string Name, string Value);

public sealed record Metric
{
    public required string Namespace { get; init; }
    public required string MetricName { get; init; }
    public List<Dimension> Dimensions { get; init; } = [];
}

public sealed record MetricStat
{
    public required Metric Metric { get; init; }
    public required int Period { get; init; }
    /// <summary>Sum, Average, Maximum, Minimum, SampleCount or a percentile such as p99.</summary>
    public required string Stat { get; init; }
}

public sealed record MetricDataQuery
{
    /// <summary>Starts with a lower-case letter; letters, digits and underscores.</summary>
    public required string Id { get; init; }
    public MetricStat? MetricStat { get; init; }
    public string? Expression { get; init; }
    public string? Label { get; init; }
    public bool? ReturnData { get; init; }
}

public sealed record GetMetricDataRequest
{
    public required List<MetricDataQuery> MetricDataQueries { get; init; }
    [JsonConverter(typeof(EpochSecondsConverter))]
    public required DateTimeOffset StartTime { get; init; }
    [JsonConverter(typeof(EpochSecondsConverter))]
    public required DateTimeOffset EndTime { get; init; }
    public string? NextToken { get; init; }
    public string? ScanBy { get; init; }
}

public sealed record MetricDataResult
{
    public string? Id { get; init; }
    public string? Label { get; init; }
    [JsonConverter(typeof(EpochSecondsListConverter))]
    public List<DateTimeOffset> Timestamps { get; init; } = [];
    public List<double> Values { get; init; } = [];
    public string? StatusCode { get; init; }
}

public sealed record GetMetricDataResponse
{
    public List<MetricDataResult> MetricDataResults { get; init; } = [];
    public string? NextToken { get; init; }
}

public sealed record DescribeAlarmsRequest
{
    public List<string>? AlarmNames { get; init; }
    public string? AlarmNamePrefix { get; init; }
    public string? StateValue { get; init; }
    public List<string>? AlarmTypes { get; init; }
    public int? MaxRecords { get; init; }
    public string? NextToken { get; init; }
}

public sealed record MetricAlarm
{
    public string? AlarmName { get; init; }
    public string? AlarmArn { get; init; }
    public string? AlarmDescription { get; init; }
    public string? StateValue { get; init; }
    public string? StateReason { get; init; }
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset StateUpdatedTimestamp { get; init; }
    public string? MetricName { get; init; }
    public string? Namespace { get; init; }
    public List<Dimension>? Dimensions { get; init; }
    public double? Threshold { get; init; }
    public string? ComparisonOperator { get; init; }
}

public sealed partial record CompositeAlarm
{
    public string? AlarmName { get; init; }
    public string? AlarmDescription { get; init; }
    /// <summary>The rule over other alarms, e.g. <c>ALARM("api-5xx") OR ALARM("api-latency")</c>.</summary>
    public string? AlarmRule { get; init; }
    public string? StateValue { get; init; }
    /// <summary>CloudWatch names the child alarm that moved it by its ARN: "arn:…:alarm:api-5xx transitioned to ALARM at …".</summary>
    public string? StateReason { get; init; }
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset StateUpdatedTimestamp { get; init; }

    /// <summary><see cref="StateReason"/> with each alarm ARN shortened to the alarm's name.</summary>
    [JsonIgnore]
    public string? StateReasonByName => StateReason is null ? null : AlarmArn().Replace(StateReason, "");

    [System.Text.RegularExpressions.GeneratedRegex(@"arn:aws[\w-]*:cloudwatch:[\w-]*:\d*:alarm:")]
    private static partial System.Text.RegularExpressions.Regex AlarmArn();
}

/// <summary>The kinds of alarm <c>DescribeAlarms</c> lists (<c>AlarmTypes</c>); without any, AWS lists metric alarms only.</summary>
public static class AlarmTypes
{
    public const string Composite = "CompositeAlarm";
    public const string Metric = "MetricAlarm";
}

public sealed record DescribeAlarmsResponse
{
    public List<MetricAlarm> MetricAlarms { get; init; } = [];
    public List<CompositeAlarm> CompositeAlarms { get; init; } = [];
    public string? NextToken { get; init; }
}

public sealed record GetDashboardRequest(string DashboardName);

public sealed record GetDashboardResponse
{
    public string? DashboardArn { get; init; }
    /// <summary>The dashboard's JSON: <c>{"widgets":[{"type":"metric","properties":{…}}, …]}</c>.</summary>
    public string? DashboardBody { get; init; }
    public string? DashboardName { get; init; }
}

public sealed record GetMetricWidgetImageRequest(string MetricWidget, string OutputFormat = "png");

public sealed record GetMetricWidgetImageResponse
{
    /// <summary>The image, base64 on the JSON wire.</summary>
    public string? MetricWidgetImage { get; init; }
}

/// <summary>A list of epoch-seconds timestamps.</summary>
public sealed class EpochSecondsListConverter : JsonConverter<List<DateTimeOffset>>
{
    private static readonly EpochSecondsConverter Item = new();

    public override List<DateTimeOffset> Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options)
    {
        var list = new List<DateTimeOffset>();
        if (reader.TokenType == System.Text.Json.JsonTokenType.Null) return list;
        if (reader.TokenType != System.Text.Json.JsonTokenType.StartArray) throw new System.Text.Json.JsonException("Expected an array of timestamps.");
        while (reader.Read() && reader.TokenType != System.Text.Json.JsonTokenType.EndArray)
            list.Add(Item.Read(ref reader, typeof(DateTimeOffset), options));
        return list;
    }

    public override void Write(System.Text.Json.Utf8JsonWriter writer, List<DateTimeOffset> value, System.Text.Json.JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var t in value) Item.Write(writer, t, options);
        writer.WriteEndArray();
    }
}
