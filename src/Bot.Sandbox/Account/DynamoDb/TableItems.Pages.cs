using Bot.Sandbox.Account.DynamoDb.Expressions;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>One page of a Scan or Query: the matching items, how many were read, and where to go on.</summary>
internal sealed record ItemPage(IReadOnlyList<StoredItem> Items, int ScannedCount, IReadOnlyDictionary<string, DynamoValue>? LastEvaluatedKey);

internal sealed partial class TableItems
{
    /// <summary>DynamoDB stops a page after 1 MB of items read.</summary>
    private const int PageBytes = 1 << 20;

    private Dictionary<string, int[]>? _partitions;
    private Dictionary<string, int[]>? _byUser;

    /// <summary>
    /// A Scan page from after <paramref name="exclusiveStartKey"/>: at most <paramref name="limit"/> items read (and at
    /// most 1 MB), the ones matching <paramref name="filter"/> returned. <paramref name="segment"/> of
    /// <paramref name="totalSegments"/> reads only its share of the table (parallel scan).
    /// </summary>
    public ItemPage Scan(IReadOnlyDictionary<string, DynamoValue>? exclusiveStartKey, DateTimeOffset at, int? limit, Condition? filter, int segment = 0, int totalSegments = 1)
    {
        var t = at.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            var start = exclusiveStartKey is null ? 0 : StartPosition(exclusiveStartKey) + 1;
            var order = Enumerable.Range(start, Math.Max(0, PositionCount - start)).Where(p => totalSegments <= 1 || p % totalSegments == segment);
            return Page(order, t, limit, filter, indexKey: null);
        }
    }

    /// <summary>
    /// A Query page: the items of one partition (of the table, or of its index when <paramref name="indexName"/> is
    /// set) matching the key condition, in sort key order (reversed when not <paramref name="forward"/>).
    /// </summary>
    public ItemPage Query(KeyCondition key, string? indexName, DateTimeOffset at, bool forward, IReadOnlyDictionary<string, DynamoValue>? exclusiveStartKey, int? limit, Condition? filter)
    {
        var t = at.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            List<int> order = indexName is null ? PartitionOrder(key.HashValue) : IndexOrder(key.HashValue, t);
            if (!forward) order.Reverse();
            if (exclusiveStartKey is not null)
            {
                var from = order.IndexOf(StartPosition(exclusiveStartKey));
                order = from < 0 ? [] : order[(from + 1)..];
            }
            var matching = order.Where(p => AliveAt(p, t) && (key.RangeCondition is null || key.RangeCondition.Evaluate(ItemAt(p, t))));
            return Page(matching, t, limit, filter, indexName is null ? null : Keys.IndexHashKey);
        }
    }

    private ItemPage Page(IEnumerable<int> positions, long t, int? limit, Condition? filter, string? indexKey)
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
            if (indexKey is not null) lastKey[indexKey] = last[indexKey]!;
        }
        return new ItemPage(items, scanned, lastKey);
    }

    private int StartPosition(IReadOnlyDictionary<string, DynamoValue> key)
    {
        var tableKey = key.Where(k => k.Key == Keys.HashKey || k.Key == Keys.RangeKey).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        try
        {
            Keys.CheckKey(tableKey);
        }
        catch (AwsException)
        {
            throw new AwsException("ValidationException", "The provided starting key is invalid: The provided key element does not match the schema");
        }
        return Locate(tableKey) ?? throw new AwsException("ValidationException", "The provided starting key is invalid: the sandbox does not know this key");
    }

    /// <summary>The positions of one partition of the table, in sort key order.</summary>
    private List<int> PartitionOrder(DynamoValue hash)
    {
        if (_series is not null && Keys.RangeKey is not null)
        {
            _partitions ??= BuildIndex(p => _series[SeriesIndex(p)].CustomerId, p => _series[SeriesIndex(p)].SessionId);
        }
        var order = hash.Type == "S" && _partitions?.GetValueOrDefault(hash.Text!) is { } found ? found.ToList() : [];
        var written = _overlayOrder.Where(e => e.Key[Keys.HashKey].Equals(hash)).ToList();
        if (written.Count == 0) return order;
        order.AddRange(written.Select(e => e.Position));
        if (Keys.RangeKey is { } range)
            order.Sort((a, b) => RangeValue(a, range).CompareTo(RangeValue(b, range)) ?? 0);
        return order;
    }

    /// <summary>The positions whose index key equals <paramref name="hash"/> (the GSI has no sort key).</summary>
    private List<int> IndexOrder(DynamoValue hash, long t)
    {
        if (Keys.IndexHashKey is not { } indexKey) return [];
        if (_series is not null && indexKey == TableKeys.SessionsIndexKey)
            _byUser ??= BuildIndex(p => _series[SeriesIndex(p)].UserId, _ => "");
        var order = hash.Type == "S" && _byUser?.GetValueOrDefault(hash.Text!) is { } found ? found.ToList() : [];
        order.AddRange(_overlayOrder.Where(e => VersionAt(e, t)?.Attributes.GetValueOrDefault(indexKey) is { } v && v.Equals(hash)).Select(e => e.Position));
        return order;
    }

    private DynamoValue RangeValue(int position, string range) => position < BaseCount
        ? DynamoValue.OfString(_series![SeriesIndex(position)].SessionId)
        : _overlayOrder[position - BaseCount].Key[range];

    private Dictionary<string, int[]> BuildIndex(Func<int, string> group, Func<int, string> sort) =>
        Enumerable.Range(0, BaseCount)
            .Select(p => (Group: group(p), Sort: sort(p), Position: p))
            .GroupBy(x => x.Group, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(x => x.Sort, StringComparer.Ordinal).Select(x => x.Position).ToArray(), StringComparer.Ordinal);
}
