using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>
/// A table's key schema (partition key, optional sort key) and its global secondary indexes, and the checks DynamoDB
/// makes on a <c>Key</c>: exactly the key attributes, of the declared types.
/// </summary>
internal sealed record TableKeys(string HashKey, string HashType, string? RangeKey, string? RangeType, IReadOnlyList<TableIndex> Indexes)
{
    /// <summary>The user-sessions tables: one partition per customer, sessions sorted by id, a GSI by user.</summary>
    public const string SessionsHashKey = "customer_id";
    public const string SessionsRangeKey = "session_id";
    public const string SessionsIndexKey = "user_id";
    public const string SessionsIndexName = "user_id-index";

    public static TableKeys Of(DynamoTable table) =>
        new(table.HashKey, table.HashKeyType, table.RangeKey, table.RangeKeyType, TableIndexes.Of(table));

    /// <summary>The table's own key schema.</summary>
    public KeySchema Schema => new(HashKey, HashType, RangeKey, RangeType);

    /// <summary>The index with this name, or null.</summary>
    public TableIndex? Index(string name) => Indexes.FirstOrDefault(i => i.Name == name);

    /// <summary>The key attributes of an item (the primary key only).</summary>
    public Dictionary<string, DynamoValue> KeyOf(IReadOnlyDictionary<string, DynamoValue> item)
    {
        var key = new Dictionary<string, DynamoValue>(StringComparer.Ordinal) { [HashKey] = item[HashKey] };
        if (RangeKey is not null) key[RangeKey] = item[RangeKey];
        return key;
    }

    /// <summary>A canonical text of a key, for lookups.</summary>
    public string Text(IReadOnlyDictionary<string, DynamoValue> key) =>
        RangeKey is null ? key[HashKey].ToString() : key[HashKey] + "\u0001" + key[RangeKey];

    /// <summary>Checks a <c>Key</c> parameter: exactly the key attributes with the declared types.</summary>
    public void CheckKey(IReadOnlyDictionary<string, DynamoValue> key)
    {
        var expected = RangeKey is null ? 1 : 2;
        if (key.Count != expected || !Matches(key, HashKey, HashType) || (RangeKey is not null && !Matches(key, RangeKey, RangeType!)))
            throw new AwsException("ValidationException", "The provided key element does not match the schema");
    }

    /// <summary>Checks a <c>PutRequest</c>/<c>PutItem</c> item: it must hold the key attributes with the declared types.</summary>
    public void CheckItem(IReadOnlyDictionary<string, DynamoValue> item)
    {
        foreach (var (name, type) in new[] { (HashKey, HashType), (RangeKey, RangeType) })
        {
            if (name is null) continue;
            if (!item.TryGetValue(name, out var v))
                throw new AwsException("ValidationException", $"One or more parameter values were invalid: Missing the key {name} in the item");
            if (v.Type != type)
                throw new AwsException("ValidationException",
                    $"One or more parameter values were invalid: Type mismatch for key {name} expected: {type} actual: {v.Type}");
        }
        foreach (var index in Indexes)
            foreach (var (name, type) in new[] { (index.Keys.HashKey, index.Keys.HashKeyType), (index.Keys.RangeKey, index.Keys.RangeKeyType) })
                if (name is not null && item.TryGetValue(name, out var v) && v.Type != type)
                    throw new AwsException("ValidationException",
                        $"One or more parameter values were invalid: Type mismatch for Index Key {name} Expected: {type} Actual: {v.Type} IndexName: {index.Name}");
    }

    private static bool Matches(IReadOnlyDictionary<string, DynamoValue> key, string name, string type) =>
        key.TryGetValue(name, out var v) && v.Type == type;
}
