using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>
/// A DynamoDB attribute value in its wire form's terms: a type (<c>S</c>, <c>N</c>, <c>B</c>, <c>BOOL</c>, <c>NULL</c>,
/// <c>SS</c>, <c>NS</c>, <c>BS</c>, <c>L</c>, <c>M</c>) and its content. Numbers keep their text, as DynamoDB does.
/// Generic: any table's items in the sandbox are maps of these.
/// </summary>
public sealed record AttributeValue(string Type, string? Text = null, bool? Bool = null,
    IReadOnlyList<string>? Set = null, IReadOnlyList<AttributeValue>? List = null, IReadOnlyDictionary<string, AttributeValue>? Map = null)
{
    public static AttributeValue S(string text) => new("S", text);
    public static AttributeValue N(long number) => new("N", number.ToString(CultureInfo.InvariantCulture));

    /// <summary>The wire form: <c>{"S":"…"}</c>, <c>{"N":"…"}</c>, <c>{"L":[…]}</c>, ….</summary>
    public object ToWire() => Type switch
    {
        "BOOL" => new Dictionary<string, object> { ["BOOL"] = Bool!.Value },
        "NULL" => new Dictionary<string, object> { ["NULL"] = true },
        "SS" or "NS" or "BS" => new Dictionary<string, object> { [Type] = Set! },
        "L" => new Dictionary<string, object> { ["L"] = List!.Select(v => v.ToWire()).ToList() },
        "M" => new Dictionary<string, object> { ["M"] = Map!.ToDictionary(kv => kv.Key, kv => kv.Value.ToWire()) },
        _ => new Dictionary<string, object> { [Type] = Text! },
    };

    /// <summary>Reads the wire form; null when it is not one value of a known type.</summary>
    public static AttributeValue? FromWire(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) return null;
        using var members = e.EnumerateObject();
        if (!members.MoveNext()) return null;
        var p = members.Current;
        if (members.MoveNext()) return null;
        return (p.Name, p.Value.ValueKind) switch
        {
            ("S" or "B", JsonValueKind.String) => new AttributeValue(p.Name, p.Value.GetString()),
            ("N", JsonValueKind.String) when decimal.TryParse(p.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out _) => new AttributeValue("N", p.Value.GetString()),
            ("BOOL", JsonValueKind.True or JsonValueKind.False) => new AttributeValue("BOOL", Bool: p.Value.GetBoolean()),
            ("NULL", JsonValueKind.True) => new AttributeValue("NULL"),
            ("SS" or "NS" or "BS", JsonValueKind.Array) => new AttributeValue(p.Name, Set: [.. p.Value.EnumerateArray().Select(x => x.GetString() ?? "")]),
            ("L", JsonValueKind.Array) => p.Value.EnumerateArray().Select(FromWire).ToList() is var l && l.All(x => x is not null) ? new AttributeValue("L", List: l!) : null,
            ("M", JsonValueKind.Object) => p.Value.EnumerateObject().ToDictionary(x => x.Name, x => FromWire(x.Value)) is var m && m.Values.All(x => x is not null)
                ? new AttributeValue("M", Map: m!) : null,
            _ => null,
        };
    }

    /// <summary>
    /// Orders two scalars of the same type as DynamoDB orders keys: numbers by value, strings and binaries by their
    /// bytes. Null when they cannot be compared (different types, or not scalars).
    /// </summary>
    public static int? Compare(AttributeValue a, AttributeValue b)
    {
        if (a.Type != b.Type) return null;
        return a.Type switch
        {
            "N" => decimal.Parse(a.Text!, NumberStyles.Float, CultureInfo.InvariantCulture).CompareTo(decimal.Parse(b.Text!, NumberStyles.Float, CultureInfo.InvariantCulture)),
            "S" => Encoding.UTF8.GetBytes(a.Text!).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b.Text!)),
            "B" => string.CompareOrdinal(a.Text, b.Text),
            _ => null,
        };
    }

    /// <summary>Equality by content (numbers by value).</summary>
    public bool SameAs(AttributeValue other) => Type == other.Type && Type switch
    {
        "N" or "S" or "B" => Compare(this, other) == 0,
        "BOOL" => Bool == other.Bool,
        "NULL" => true,
        "SS" or "NS" or "BS" => Set!.Order().SequenceEqual(other.Set!.Order()),
        "L" => List!.Count == other.List!.Count && List.Zip(other.List).All(p => p.First.SameAs(p.Second)),
        _ => Map!.Count == other.Map!.Count && Map.All(kv => other.Map.TryGetValue(kv.Key, out var v) && kv.Value.SameAs(v)),
    };

    /// <summary>The size DynamoDB counts for the value (for item sizes, the 1 MB page limit and capacity units), roughly.</summary>
    public int Size => Type switch
    {
        "S" or "B" => Encoding.UTF8.GetByteCount(Text!),
        "N" => (Text!.Length + 1) / 2 + 1,
        "BOOL" or "NULL" => 1,
        "SS" or "NS" or "BS" => Set!.Sum(s => Encoding.UTF8.GetByteCount(s)),
        "L" => 3 + List!.Sum(v => v.Size + 1),
        _ => 3 + Map!.Sum(kv => Encoding.UTF8.GetByteCount(kv.Key) + kv.Value.Size + 1),
    };
}
