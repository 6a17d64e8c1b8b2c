using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Integrations.Aws.Json;

/// <summary>Serializer settings per AWS naming style; nulls are left out of requests.</summary>
internal static class AwsJson
{
    /// <summary>Lambda, CloudWatch, Cost Explorer: members as declared (PascalCase).</summary>
    public static readonly JsonSerializerOptions Pascal = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>CloudWatch Logs: camelCase members.</summary>
    public static readonly JsonSerializerOptions Camel = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}

/// <summary>AWS JSON <c>timestamp</c> shapes: epoch seconds as a number (fractions allowed).</summary>
public sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString();
            if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n))
                return FromSeconds(n);
            if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
                return parsed;
            throw new JsonException($"Not a timestamp: {text}");
        }
        return FromSeconds(reader.GetDouble());
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Math.Round(value.ToUnixTimeMilliseconds() / 1000.0, 3));

    private static DateTimeOffset FromSeconds(double seconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
}

/// <summary>An optional AWS JSON <c>timestamp</c> (epoch seconds), null when absent.</summary>
public sealed class NullableEpochSecondsConverter : JsonConverter<DateTimeOffset?>
{
    private static readonly EpochSecondsConverter Inner = new();

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Inner.Read(ref reader, typeof(DateTimeOffset), options);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } v) Inner.Write(writer, v, options);
        else writer.WriteNullValue();
    }
}
