using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>
/// One DynamoDB attribute value as it travels on the wire: <c>{"S":"…"}</c>, <c>{"N":"42"}</c>, <c>{"BOOL":true}</c>,
/// … Scalars (S, N, B, BOOL, NULL) are kept typed so expressions can compare them; sets, lists and maps are kept as
/// their JSON and only compared for equality. Serializes back to the same wire form.
/// </summary>
[JsonConverter(typeof(DynamoValueConverter))]
public sealed class DynamoValue : IEquatable<DynamoValue>
{
    private static readonly HashSet<string> Types = ["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"];

    private DynamoValue(string type, string? text, bool flag, JsonElement? document)
    {
        Type = type;
        Text = text;
        Flag = flag;
        Document = document;
    }

    /// <summary>The wire type: S, N, B, BOOL, NULL, SS, NS, BS, L or M.</summary>
    public string Type { get; }

    /// <summary>The text of an S, N or (base64) B value.</summary>
    public string? Text { get; }

    private bool Flag { get; }
    private JsonElement? Document { get; }

    public static DynamoValue OfString(string value) => new("S", value, false, null);
    public static DynamoValue OfNumber(long value) => new("N", value.ToString(CultureInfo.InvariantCulture), false, null);
    public static DynamoValue OfBool(bool value) => new("BOOL", null, value, null);

    /// <summary>The numeric value of an N (DynamoDB numbers have up to 38 digits; decimal keeps 28).</summary>
    public decimal? AsNumber => Type == "N" && decimal.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>The size DynamoDB counts for <c>size()</c>: characters, bytes or elements.</summary>
    public int? Size => Type switch
    {
        "S" => Text!.Length,
        "B" => Convert.FromBase64String(Text!).Length,
        "SS" or "NS" or "BS" or "L" => Document!.Value.GetArrayLength(),
        "M" => Document!.Value.EnumerateObject().Count(),
        _ => null,
    };

    /// <summary>Reads <c>{"S":"…"}</c> and friends; anything else is a ValidationException, as DynamoDB answers.</summary>
    public static DynamoValue Read(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new AwsException("SerializationException", $"'{path}' must be an attribute value object such as {{\"S\":\"text\"}}.");
        var members = element.EnumerateObject().ToList();
        if (members.Count != 1 || !Types.Contains(members[0].Name))
            throw new AwsException("ValidationException", "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        var (type, value) = (members[0].Name, members[0].Value);
        switch (type)
        {
            case "S" or "B":
                if (value.ValueKind != JsonValueKind.String) throw new AwsException("SerializationException", $"'{path}.{type}' must be a string.");
                return new DynamoValue(type, value.GetString(), false, null);
            case "N":
                var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                if (text is null || !decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    throw new AwsException("ValidationException", "The parameter cannot be converted to a numeric value: " + (text ?? value.GetRawText()));
                return new DynamoValue("N", text, false, null);
            case "BOOL" or "NULL":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    throw new AwsException("SerializationException", $"'{path}.{type}' must be a boolean.");
                return new DynamoValue(type, null, value.GetBoolean(), null);
            default:
                return new DynamoValue(type, null, false, value.Clone());
        }
    }

    /// <summary>Reads an attribute map (<c>Item</c>, <c>Key</c>, <c>ExpressionAttributeValues</c>).</summary>
    public static Dictionary<string, DynamoValue> ReadMap(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new AwsException("SerializationException", $"'{path}' must be a map of attribute values.");
        var map = new Dictionary<string, DynamoValue>(StringComparer.Ordinal);
        foreach (var p in element.EnumerateObject()) map[p.Name] = Read(p.Value, $"{path}.{p.Name}");
        return map;
    }

    /// <summary>
    /// DynamoDB's ordering for <c>&lt; &lt;= &gt; &gt;=</c> and BETWEEN: numbers by value, strings and binary by
    /// their bytes. Null when the two cannot be ordered (different or unordered types: the comparison is false).
    /// </summary>
    public int? CompareTo(DynamoValue other)
    {
        if (Type != other.Type) return null;
        return Type switch
        {
            "N" => AsNumber!.Value.CompareTo(other.AsNumber!.Value),
            "S" => string.CompareOrdinal(Text, other.Text),
            "B" => Convert.FromBase64String(Text!).AsSpan().SequenceCompareTo(Convert.FromBase64String(other.Text!)),
            _ => null,
        };
    }

    public bool Equals(DynamoValue? other)
    {
        if (other is null || other.Type != Type) return false;
        return Type switch
        {
            "N" => AsNumber == other.AsNumber,
            "S" or "B" => Text == other.Text,
            "BOOL" or "NULL" => Flag == other.Flag,
            _ => JsonElement.DeepEquals(Document!.Value, other.Document!.Value),
        };
    }

    public override bool Equals(object? obj) => Equals(obj as DynamoValue);
    public override int GetHashCode() => HashCode.Combine(Type, Type == "N" ? AsNumber?.GetHashCode() ?? 0 : Text?.GetHashCode(StringComparison.Ordinal) ?? 0);
    public override string ToString() => Type + ":" + (Text ?? (Document?.GetRawText() ?? (Flag ? "true" : "false")));

    /// <summary>Roughly the bytes DynamoDB counts for the value (for the 1 MB page limit and capacity units).</summary>
    public int ApproximateBytes => Text?.Length ?? Document?.GetRawText().Length ?? 1;

    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(Type);
        switch (Type)
        {
            case "S" or "N" or "B": writer.WriteStringValue(Text); break;
            case "BOOL" or "NULL": writer.WriteBooleanValue(Flag); break;
            default: Document!.Value.WriteTo(writer); break;
        }
        writer.WriteEndObject();
    }

    private sealed class DynamoValueConverter : JsonConverter<DynamoValue>
    {
        public override DynamoValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            return DynamoValue.Read(doc.RootElement, "value");
        }

        public override void Write(Utf8JsonWriter writer, DynamoValue value, JsonSerializerOptions options) => value.Write(writer);
    }
}
