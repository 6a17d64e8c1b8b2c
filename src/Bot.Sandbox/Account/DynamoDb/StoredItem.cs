using Bot.Sandbox.Account.DynamoDb.Expressions;

namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>One item as a read returns it: its attributes by name.</summary>
internal sealed class StoredItem(IReadOnlyDictionary<string, DynamoValue> attributes) : IItem
{
    public IReadOnlyDictionary<string, DynamoValue> Attributes { get; } = attributes;

    public DynamoValue? this[string attribute] => Attributes.GetValueOrDefault(attribute);

    /// <summary>Roughly the bytes DynamoDB counts for the item (names plus values).</summary>
    public int ApproximateBytes => Attributes.Sum(a => a.Key.Length + a.Value.ApproximateBytes);

    /// <summary>The item with only <paramref name="names"/> (a ProjectionExpression), or itself when null.</summary>
    public IReadOnlyDictionary<string, DynamoValue> Project(IReadOnlyList<string>? names) =>
        names is null ? Attributes : Attributes.Where(a => names.Contains(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);

    /// <summary>The generated session as an item of the user-sessions key schema.</summary>
    public static StoredItem From(GeneratedSession s) => new(new Dictionary<string, DynamoValue>(StringComparer.Ordinal)
    {
        [TableKeys.SessionsHashKey] = DynamoValue.OfString(s.CustomerId),
        [TableKeys.SessionsRangeKey] = DynamoValue.OfString(s.SessionId),
        [TableKeys.SessionsIndexKey] = DynamoValue.OfString(s.UserId),
        ["created_at"] = DynamoValue.OfNumber(s.CreatedAt),
        ["expires_at"] = DynamoValue.OfNumber(s.ExpiresAt),
        ["client"] = DynamoValue.OfString(s.Client),
        ["mfa"] = DynamoValue.OfBool(s.Mfa),
    });
}
