using System.Globalization;
using System.Text.Json;

namespace Bot.Sandbox.Protocols;

/// <summary>
/// Checked reading of a JSON request body. A member of the wrong JSON type is a
/// <c>SerializationException</c>, as AWS answers; a missing required member or a bad value is raised with
/// the service's own validation error code.
/// </summary>
internal readonly struct JsonInput
{
    private readonly JsonElement _element;
    private readonly string _path;

    public JsonInput(JsonElement element, string validationCode, string path = "")
    {
        _element = element;
        ValidationCode = validationCode;
        _path = path;
    }

    public string ValidationCode { get; }

    public static JsonInput Parse(ReadOnlyMemory<byte> body, string validationCode)
    {
        if (body.IsEmpty) return new JsonInput(JsonDocument.Parse("{}").RootElement, validationCode);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new AwsException("SerializationException", "The request body is not valid JSON.");
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new AwsException("SerializationException", "The request body must be a JSON object.");
        return new JsonInput(doc.RootElement, validationCode);
    }

    public bool Has(string name) => _element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public AwsException Invalid(string message) => new(ValidationCode, message);

    public string? String(string name)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String) throw WrongType(name, "a string");
        return v.GetString();
    }

    public string RequiredString(string name) =>
        String(name) is { Length: > 0 } s ? s : throw Missing(name);

    public int? Int(string name)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i)) throw WrongType(name, "an integer");
        return i;
    }

    public long? Long(string name)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var l)) throw WrongType(name, "a long integer");
        return l;
    }

    public double? Double(string name)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Number) throw WrongType(name, "a number");
        return v.GetDouble();
    }

    public bool? Bool(string name)
    {
        if (!TryGet(name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(name, "a boolean"),
        };
    }

    /// <summary>A <c>timestamp</c> shape: epoch seconds as a JSON number (the protocol default); ISO-8601 strings are accepted too.</summary>
    public DateTimeOffset? Timestamp(string name)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number)
        {
            var seconds = v.GetDouble();
            if (double.IsNaN(seconds) || seconds < 0 || seconds > 253402300799) throw Invalid($"{Path(name)} is not a valid timestamp.");
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        }
        if (v.ValueKind == JsonValueKind.String &&
            DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            return t.ToUniversalTime();
        throw WrongType(name, "a timestamp");
    }

    /// <summary>A member as raw JSON (e.g. DynamoDB attribute maps, read by their own reader), or null when absent.</summary>
    public JsonElement? Element(string name) => TryGet(name, out var v) ? v : null;

    public JsonInput? Object(string name)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Object) throw WrongType(name, "an object");
        return new JsonInput(v, ValidationCode, Path(name));
    }

    public IReadOnlyList<JsonInput> Objects(string name)
    {
        if (!TryGet(name, out var v)) return [];
        if (v.ValueKind != JsonValueKind.Array) throw WrongType(name, "a list");
        var list = new List<JsonInput>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw WrongType($"{name}[{i}]", "an object");
            list.Add(new JsonInput(item, ValidationCode, $"{Path(name)}.{i}"));
            i++;
        }
        return list;
    }

    public IReadOnlyList<string> Strings(string name)
    {
        if (!TryGet(name, out var v)) return [];
        if (v.ValueKind != JsonValueKind.Array) throw WrongType(name, "a list");
        var list = new List<string>();
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw WrongType(name, "a list of strings");
            list.Add(item.GetString()!);
        }
        return list;
    }

    /// <summary>A map of string to number (e.g. Lambda <c>AdditionalVersionWeights</c>).</summary>
    public IReadOnlyDictionary<string, double> NumberMap(string name)
    {
        if (!TryGet(name, out var v)) return new Dictionary<string, double>();
        if (v.ValueKind != JsonValueKind.Object) throw WrongType(name, "a map");
        var map = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.Number) throw WrongType($"{name}.{p.Name}", "a number");
            map[p.Name] = p.Value.GetDouble();
        }
        return map;
    }

    /// <summary>A map of string to string (e.g. Lambda environment <c>Variables</c>).</summary>
    public IReadOnlyDictionary<string, string> StringMap(string name)
    {
        if (!TryGet(name, out var v)) return new Dictionary<string, string>();
        if (v.ValueKind != JsonValueKind.Object) throw WrongType(name, "a map");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String) throw WrongType($"{name}.{p.Name}", "a string");
            map[p.Name] = p.Value.GetString()!;
        }
        return map;
    }

    /// <summary>The members of this object, as raw JSON (for maps whose values have their own shapes, e.g. DynamoDB items).</summary>
    public IEnumerable<(string Name, JsonElement Value)> Members() =>
        _element.ValueKind == JsonValueKind.Object ? _element.EnumerateObject().Select(p => (p.Name, p.Value)) : [];

    private bool TryGet(string name, out JsonElement value) =>
        _element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private string Path(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    private AwsException Missing(string name) =>
        Invalid($"1 validation error detected: Value null at '{Path(name)}' failed to satisfy constraint: Member must not be null");

    private AwsException WrongType(string name, string expected) =>
        new("SerializationException", $"'{Path(name)}' must be {expected}.");
}
