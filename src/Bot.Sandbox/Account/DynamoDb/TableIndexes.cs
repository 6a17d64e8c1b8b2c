namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>A key schema: the partition (HASH) attribute and the optional sort (RANGE) attribute, with their types.</summary>
public sealed record KeySchema(string HashKey, string HashKeyType, string? RangeKey, string? RangeKeyType);

/// <summary>A global secondary index of a table: its name and key schema (the sandbox's indexes project ALL).</summary>
public sealed record TableIndex(string Name, KeySchema Keys);

/// <summary>
/// The global secondary indexes of each table. The activity feed (<c>customer_id</c> + <c>timestamp</c>) has
/// <c>ActionIndex</c> (<c>action</c> + <c>timestamp</c>), which the security views query, and in prod also
/// <c>ResourceTypeIndex</c> (<c>resource_type</c> + <c>timestamp</c>), the one the operations guide's tuning step adds:
/// nobody reads it (its consumed read capacity is zero), the planted "unused index". The other tables have the one
/// partition-key-only index of their profile (the user-sessions tables: <c>user_id-index</c> on <c>user_id</c>).
/// </summary>
public static class TableIndexes
{
    public const string ActionIndex = "ActionIndex";
    public const string ResourceTypeIndex = "ResourceTypeIndex";

    public static KeySchema KeysOf(DynamoTable table) => new(table.HashKey, table.HashKeyType, table.RangeKey, table.RangeKeyType);

    public static IReadOnlyList<TableIndex> Of(DynamoTable table)
    {
        if (table.Profile?.Suffix == SecureBaseCatalog.ActivityFeed)
        {
            var indexes = new List<TableIndex> { new(ActionIndex, new KeySchema("action", "S", "timestamp", "S")) };
            if (table.Environment == "prod") indexes.Add(new(ResourceTypeIndex, new KeySchema("resource_type", "S", "timestamp", "S")));
            return indexes;
        }
        if (table.IndexName is null || table.IndexHashKey is null) return [];
        return [new(table.IndexName, new KeySchema(table.IndexHashKey, "S", null, null))];
    }

    /// <summary>Whether nobody reads the index (its ConsumedReadCapacityUnits are zero).</summary>
    public static bool IsUnread(TableIndex index) => index.Name == ResourceTypeIndex;
}
