using System.Collections.Concurrent;
using System.Text;

namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>A key schema: the partition (HASH) attribute and the optional sort (RANGE) attribute.</summary>
public sealed record KeySchema(string HashKey, string HashKeyType, string? RangeKey, string? RangeKeyType);

/// <summary>A global secondary index of a table: its name, key schema and projection (the sandbox projects ALL).</summary>
public sealed record TableIndex(string Name, KeySchema Keys);

/// <summary>
/// The items of one table at one moment: a generic, small, read-only item store. Items are kept in the table's scan
/// order (partitions in the order of a hash of their key, then by sort key), and each index's order (index partition,
/// index sort key, then the table key) is computed once when first asked. Items without an index's key attributes
/// are not in that index, as in DynamoDB.
/// </summary>
public sealed class ItemSnapshot
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, AttributeValue>>> _byIndex = new(StringComparer.Ordinal);

    public ItemSnapshot(KeySchema keys, IReadOnlyList<TableIndex> indexes, IEnumerable<IReadOnlyDictionary<string, AttributeValue>> items)
    {
        Keys = keys;
        Indexes = indexes;
        Items = [.. items.OrderBy(i => Deterministic.Hash(i[keys.HashKey].Text!)).ThenBy(i => i[keys.HashKey], KeyOrder.Instance)
            .ThenBy(i => keys.RangeKey is null ? null : i[keys.RangeKey], KeyOrder.Instance)];
        SizeBytes = Items.Sum(ItemSize);
    }

    public KeySchema Keys { get; }
    public IReadOnlyList<TableIndex> Indexes { get; }

    /// <summary>Every item, in scan order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, AttributeValue>> Items { get; }

    public long SizeBytes { get; }

    /// <summary>An index's items ordered by its partition key, then its sort key, then the table's key.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, AttributeValue>> InIndexOrder(TableIndex index) =>
        _byIndex.GetOrAdd(index.Name, _ => [.. Items
            .Where(i => i.ContainsKey(index.Keys.HashKey) && (index.Keys.RangeKey is null || i.ContainsKey(index.Keys.RangeKey)))
            .OrderBy(i => i[index.Keys.HashKey], KeyOrder.Instance)
            .ThenBy(i => index.Keys.RangeKey is null ? null : i[index.Keys.RangeKey], KeyOrder.Instance)
            .ThenBy(i => i[Keys.HashKey], KeyOrder.Instance)
            .ThenBy(i => Keys.RangeKey is null ? null : i[Keys.RangeKey], KeyOrder.Instance)]);

    /// <summary>An item's size as DynamoDB counts it: attribute names plus values.</summary>
    public static int ItemSize(IReadOnlyDictionary<string, AttributeValue> item) => item.Sum(kv => Encoding.UTF8.GetByteCount(kv.Key) + kv.Value.Size);

    /// <summary>Orders key values (nulls first).</summary>
    public sealed class KeyOrder : IComparer<AttributeValue?>
    {
        public static readonly KeyOrder Instance = new();
        public int Compare(AttributeValue? x, AttributeValue? y) =>
            x is null || y is null ? (x is null ? (y is null ? 0 : -1) : 1) : AttributeValue.Compare(x, y) ?? string.CompareOrdinal(x.Type, y.Type);
    }
}
