using Bot.Sandbox.Account.DynamoDb.Expressions;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>One page of a Scan or Query: the matching items, how many items (and bytes) were read, and where to go on.</summary>
internal sealed record ItemPage(IReadOnlyList<StoredItem> Items, int ScannedCount, int ScannedBytes, IReadOnlyDictionary<string, DynamoValue>? LastEvaluatedKey);

internal sealed partial class TableItems
{
    /// <summary>DynamoDB stops a page after 1 MB of items read.</summary>
    private const int PageBytes = 1 << 20;

    /// <summary>Per index ("" for the table): the generated items' positions by partition key, each in sort order, and the source generation they were built for.</summary>
    private readonly Dictionary<string, (long Generation, Dictionary<DynamoValue, int[]> Partitions)> _orders = new(StringComparer.Ordinal);

    /// <summary>
    /// A Scan page from after <paramref name="exclusiveStartKey"/>: at most <paramref name="limit"/> items read (and at
    /// most 1 MB), the ones matching <paramref name="filter"/> returned. <paramref name="segment"/> of
    /// <paramref name="totalSegments"/> reads only its share of the table (parallel scan). On an index, only the items
    /// that have the index's key attributes are read (a sparse index).
    /// </summary>
    public ItemPage Scan(IReadOnlyDictionary<string, DynamoValue>? exclusiveStartKey, DateTimeOffset at, int? limit, Condition? filter,
        int segment = 0, int totalSegments = 1, TableIndex? index = null)
    {
        var t = at.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            var after = exclusiveStartKey is null ? -1 : StartPosition(exclusiveStartKey, index);
            var order = AllPositions(t).Where(p => p > after && (totalSegments <= 1 || p % totalSegments == segment));
            return Page(order, t, limit, filter, index);
        }
    }

    /// <summary>
    /// A Query page: the items of one partition (of the table, or of <paramref name="index"/>) matching the key condition,
    /// in sort key order (reversed when not <paramref name="forward"/>), from after <paramref name="exclusiveStartKey"/>
    /// by its place in that order, as DynamoDB resumes (so a page still resumes when its start item is gone, or never was).
    /// </summary>
    public ItemPage Query(KeyCondition key, TableIndex? index, DateTimeOffset at, bool forward, IReadOnlyDictionary<string, DynamoValue>? exclusiveStartKey, int? limit, Condition? filter)
    {
        var t = at.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            var sortKeys = SortAttributes(index);
            var order = PartitionOrder(index, key.HashValue, t, sortKeys);
            if (!forward) order.Reverse();
            IEnumerable<int> positions = order;
            if (exclusiveStartKey is not null)
            {
                CheckStartKey(exclusiveStartKey, index);
                positions = order.SkipWhile(p =>
                {
                    var c = Compare(p, exclusiveStartKey, sortKeys, t);
                    return forward ? c <= 0 : c >= 0;
                });
            }
            var matching = positions.Where(p => AliveAt(p, t) && (key.RangeCondition is null || key.RangeCondition.Evaluate(ItemAt(p, t))));
            return Page(matching, t, limit, filter, index);
        }
    }

    private ItemPage Page(IEnumerable<int> positions, long t, int? limit, Condition? filter, TableIndex? index)
    {
        var items = new List<StoredItem>();
        var scanned = 0;
        var bytes = 0;
        StoredItem? last = null;
        var stopped = false;
        foreach (var p in positions)
        {
            if (!AliveAt(p, t)) continue;
            var item = ItemAt(p, t);
            if (index is not null && !InIndex(item, index)) continue;
            scanned++;
            bytes += item.ApproximateBytes;
            last = item;
            if (filter is null || filter.Evaluate(item)) items.Add(item);
            if (scanned == limit || bytes >= PageBytes)
            {
                stopped = true;
                break;
            }
        }
        Dictionary<string, DynamoValue>? lastKey = null;
        if (stopped && last is not null)
        {
            lastKey = Keys.KeyOf(last.Attributes);
            if (index is not null)
            {
                lastKey[index.Keys.HashKey] = last[index.Keys.HashKey]!;
                if (index.Keys.RangeKey is { } range) lastKey[range] = last[range]!;
            }
        }
        return new ItemPage(items, scanned, bytes, lastKey);
    }

    private static bool InIndex(StoredItem item, TableIndex index) =>
        item[index.Keys.HashKey] is not null && (index.Keys.RangeKey is null || item[index.Keys.RangeKey] is not null);

    /// <summary>A Scan's start key: the table's key (and the index's, on an index) of an item the table holds or held.</summary>
    private int StartPosition(IReadOnlyDictionary<string, DynamoValue> key, TableIndex? index)
    {
        CheckStartKey(key, index);
        var tableKey = key.Where(k => k.Key == Keys.HashKey || k.Key == Keys.RangeKey).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        return Locate(tableKey) ?? throw new AwsException("ValidationException", "The provided starting key is invalid: the sandbox resumes a Scan only from the key of an item the table holds or held");
    }

    private void CheckStartKey(IReadOnlyDictionary<string, DynamoValue> key, TableIndex? index)
    {
        var names = new[] { Keys.HashKey, Keys.RangeKey, index?.Keys.HashKey, index?.Keys.RangeKey }.OfType<string>().Distinct().ToList();
        if (names.Any(n => !key.ContainsKey(n)) || key.Count != names.Count)
            throw new AwsException("ValidationException", "The provided starting key is invalid: The provided key element does not match the schema");
    }

    /// <summary>What a partition is sorted by: the table's sort key; on an index its sort key, then the table's key.</summary>
    private List<string> SortAttributes(TableIndex? index) => index is null
        ? new[] { Keys.RangeKey }.OfType<string>().ToList()
        : new[] { index.Keys.RangeKey, Keys.HashKey, Keys.RangeKey }.OfType<string>().Where(n => n != index.Keys.HashKey).Distinct().ToList();

    /// <summary>The positions of one partition of the table or index, in sort order (deleted generated items included; callers check).</summary>
    private List<int> PartitionOrder(TableIndex? index, DynamoValue hash, long t, List<string> sortKeys)
    {
        var hashKey = index?.Keys.HashKey ?? Keys.HashKey;
        var rangeKey = index?.Keys.RangeKey;
        var generation = _source is null ? 0 : _subset is null ? _source.Generation(t) : -1;
        var name = index?.Name ?? "";
        if (!_orders.TryGetValue(name, out var built) || built.Generation != generation)
        {
            built = (generation, BuildOrder(hashKey, rangeKey, sortKeys, t));
            _orders[name] = built;
        }
        var order = built.Partitions.GetValueOrDefault(hash)?.ToList() ?? [];
        var written = _overlayOrder
            .Where(e => VersionAt(e, t)?.Attributes is { } a && a.GetValueOrDefault(hashKey) is { } v && v.Equals(hash) && (rangeKey is null || a.ContainsKey(rangeKey)))
            .Select(e => e.Position).ToList();
        if (written.Count == 0) return order;
        order.AddRange(written);
        return SortBy(order, sortKeys, t);
    }

    private Dictionary<DynamoValue, int[]> BuildOrder(string hashKey, string? rangeKey, List<string> sortKeys, long t)
    {
        var groups = new Dictionary<DynamoValue, List<int>>();
        foreach (var p in BasePositions(t))
        {
            if (AttributeAt(p, hashKey, t) is not { } hash || (rangeKey is not null && AttributeAt(p, rangeKey, t) is null)) continue;
            if (!groups.TryGetValue(hash, out var list)) groups[hash] = list = [];
            list.Add(p);
        }
        return groups.ToDictionary(g => g.Key, g => SortBy(g.Value, sortKeys, t).ToArray());
    }

    private List<int> SortBy(List<int> positions, List<string> sortKeys, long t)
    {
        if (sortKeys.Count == 0) return positions;
        var keys = positions.Select(p => sortKeys.Select(k => AttributeAt(p, k, t)).ToArray()).ToArray();
        var indexes = Enumerable.Range(0, positions.Count).ToArray();
        Array.Sort(indexes, (a, b) =>
        {
            for (var i = 0; i < sortKeys.Count; i++)
                if (CompareValues(keys[a][i], keys[b][i]) is var c and not 0) return c;
            return positions[a].CompareTo(positions[b]);
        });
        return [.. indexes.Select(i => positions[i])];
    }

    private int Compare(int position, IReadOnlyDictionary<string, DynamoValue> key, List<string> sortKeys, long t)
    {
        foreach (var name in sortKeys)
            if (CompareValues(AttributeAt(position, name, t), key.GetValueOrDefault(name)) is var c and not 0) return c;
        return 0;
    }

    /// <summary>Key order: numbers by value, strings and binaries by their bytes (missing values first).</summary>
    private static int CompareValues(DynamoValue? a, DynamoValue? b) =>
        a is null || b is null ? (a is null ? (b is null ? 0 : -1) : 1) : a.CompareTo(b) ?? string.CompareOrdinal(a.Type, b.Type);
}
