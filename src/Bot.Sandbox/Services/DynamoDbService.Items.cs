using Bot.Sandbox.Account;
using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// DynamoDB Query and Scan over the tables' items (<see cref="TableItems"/>): key conditions on the table or a global
/// secondary index, FilterExpression, ProjectionExpression, Select (ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES,
/// SPECIFIC_ATTRIBUTES, COUNT), Limit (items evaluated, before the filter), pages of at most 1 MB with LastEvaluatedKey and
/// ExclusiveStartKey, ScanIndexForward, parallel Scan segments and ReturnConsumedCapacity. Tables the sandbox keeps no
/// items for answer empty pages.
/// </summary>
internal sealed partial class DynamoDbService
{
    private const int MaxPageBytes = 1 << 20;

    private sealed record ReadRequest(DynamoTable Table, TableIndex? Index, ItemSnapshot? Items, DynamoExpression.Node? Filter,
        IReadOnlyList<string>? Projection, bool CountOnly, int? Limit, IReadOnlyDictionary<string, AttributeValue>? StartKey, bool ReturnCapacity);

    private object Query(JsonInput input)
    {
        var (request, names, values, usedNames, usedValues) = Read(input, "Query");
        var keyText = input.String("KeyConditionExpression")
            ?? throw input.Invalid("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        var key = DynamoExpression.Parse("KeyConditionExpression", keyText, names, values, usedNames, usedValues);
        CheckUnused(names, values, usedNames, usedValues);
        var schema = request.Index?.Keys ?? TableIndexes.KeysOf(request.Table);
        var (hash, range) = SplitKeyCondition(key, schema);
        var forward = input.Bool("ScanIndexForward") ?? true;
        var source = request.Items is null ? [] : request.Index is { } index ? request.Items.InIndexOrder(index) : TableOrder(request.Items);
        var matching = source.Where(i => DynamoExpression.Matches(hash, i) && (range is null || DynamoExpression.Matches(range, i)));
        if (!forward) matching = matching.Reverse();
        return Page(request, matching, OrderKeys(request), hashFirst: false, forward);
    }

    private object Scan(JsonInput input)
    {
        var (request, names, values, usedNames, usedValues) = Read(input, "Scan");
        CheckUnused(names, values, usedNames, usedValues);
        var segment = input.Int("Segment");
        var total = input.Int("TotalSegments");
        if (segment is null != total is null) throw input.Invalid("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
        if (total is < 1 or > 1_000_000) throw input.Invalid("1 validation error detected: Value at 'totalSegments' failed to satisfy constraint: Member must have value between 1 and 1000000");
        if (segment is { } s && (s < 0 || s >= total)) throw input.Invalid($"The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {s} is not less than TotalSegments: {total}");
        var schema = request.Index?.Keys ?? TableIndexes.KeysOf(request.Table);
        var source = request.Items is null ? [] : request.Index is { } index ? request.Items.InIndexOrder(index) : request.Items.Items;
        var items = total is null ? source : source.Where(i => (int)(Deterministic.Hash(i[schema.HashKey].Text ?? "") % (ulong)total.Value) == segment);
        return Page(request, items, OrderKeys(request), hashFirst: request.Index is null, forward: true);
    }

    /// <summary>The attributes the items are read in order of: an index's keys then the table's, or the table's.</summary>
    private static List<string> OrderKeys(ReadRequest request)
    {
        var table = TableIndexes.KeysOf(request.Table);
        return new[] { request.Index?.Keys.HashKey, request.Index?.Keys.RangeKey, table.HashKey, table.RangeKey }.OfType<string>().Distinct().ToList();
    }

    /// <summary>
    /// Whether an item comes after the ExclusiveStartKey in the reading order (by position, as DynamoDB resumes, so a page
    /// still resumes when the start item itself is gone). <paramref name="hashFirst"/>: a table scan, whose partitions come in
    /// the order of a hash of their key.
    /// </summary>
    private static bool IsAfter(IReadOnlyDictionary<string, AttributeValue> item, IReadOnlyDictionary<string, AttributeValue> start,
        IReadOnlyList<string> keys, bool hashFirst, bool forward)
    {
        var order = 0;
        if (hashFirst) order = Deterministic.Hash(item[keys[0]].Text ?? "").CompareTo(Deterministic.Hash(start[keys[0]].Text ?? ""));
        for (var i = 0; order == 0 && i < keys.Count; i++)
            order = ItemSnapshot.KeyOrder.Instance.Compare(item.GetValueOrDefault(keys[i]), start.GetValueOrDefault(keys[i]));
        return forward ? order > 0 : order < 0;
    }

    /// <summary>The table's items ordered by partition key, then sort key (the order a Query on the table reads in).</summary>
    private static IReadOnlyList<IReadOnlyDictionary<string, AttributeValue>> TableOrder(ItemSnapshot items) =>
        [.. items.Items.OrderBy(i => i[items.Keys.HashKey], ItemSnapshot.KeyOrder.Instance)
            .ThenBy(i => items.Keys.RangeKey is null ? null : i[items.Keys.RangeKey], ItemSnapshot.KeyOrder.Instance)];

    private (ReadRequest, IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, AttributeValue>, HashSet<string>, HashSet<string>) Read(JsonInput input, string operation)
    {
        var table = Find(input, "ResourceNotFoundException");
        foreach (var legacy in new[] { "KeyConditions", "QueryFilter", "ScanFilter", "AttributesToGet", "ConditionalOperator" })
            if (input.Has(legacy)) throw input.Invalid($"The sandbox supports expressions only, not the legacy parameter {legacy}.");
        TableIndex? index = null;
        if (input.String("IndexName") is { } indexName)
        {
            index = TableIndexes.Of(table).FirstOrDefault(i => i.Name == indexName)
                ?? throw input.Invalid($"The table does not have the specified index: {indexName}");
            if (input.Bool("ConsistentRead") == true) throw input.Invalid("Consistent reads are not supported on global secondary indexes");
        }
        var names = input.StringMap("ExpressionAttributeNames");
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        if (input.Object("ExpressionAttributeValues") is { } raw)
            foreach (var (name, element) in raw.Members())
                values[name] = AttributeValue.FromWire(element)
                    ?? throw input.Invalid($"ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key {name}");
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        var usedValues = new HashSet<string>(StringComparer.Ordinal);
        var filter = input.String("FilterExpression") is { } f ? DynamoExpression.Parse("FilterExpression", f, names, values, usedNames, usedValues) : null;
        var projection = input.String("ProjectionExpression") is { } p ? DynamoExpression.Projection(p, names, usedNames) : null;
        var select = input.String("Select") ?? (projection is null ? "ALL_ATTRIBUTES" : "SPECIFIC_ATTRIBUTES");
        if (select is not ("ALL_ATTRIBUTES" or "ALL_PROJECTED_ATTRIBUTES" or "SPECIFIC_ATTRIBUTES" or "COUNT"))
            throw input.Invalid($"1 validation error detected: Value '{select}' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
        if (projection is not null && select != "SPECIFIC_ATTRIBUTES")
            throw input.Invalid("Cannot specify the ProjectionExpression when choosing to get " + select);
        var limit = input.Int("Limit");
        if (limit is < 1) throw input.Invalid("1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        IReadOnlyDictionary<string, AttributeValue>? start = null;
        if (input.Object("ExclusiveStartKey") is { } startKey)
            start = startKey.Members().ToDictionary(m => m.Name, m => AttributeValue.FromWire(m.Value) ?? throw input.Invalid("The provided starting key is invalid"));
        var capacity = input.String("ReturnConsumedCapacity") ?? "NONE";
        if (capacity is not ("NONE" or "TOTAL" or "INDEXES")) throw input.Invalid($"1 validation error detected: Value '{capacity}' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]");
        var request = new ReadRequest(table, index, account.Items.For(table), filter, projection, select == "COUNT", limit, start, capacity != "NONE");
        return (request, names, values, usedNames, usedValues);
    }

    private static void CheckUnused(IReadOnlyDictionary<string, string> names, IReadOnlyDictionary<string, AttributeValue> values, HashSet<string> usedNames, HashSet<string> usedValues)
    {
        var unusedValues = values.Keys.Where(k => !usedValues.Contains(k)).ToList();
        if (unusedValues.Count > 0) throw DynamoExpression.Invalid($"Value provided in ExpressionAttributeValues unused in expressions: keys: {{{string.Join(", ", unusedValues)}}}");
        var unusedNames = names.Keys.Where(k => !usedNames.Contains(k)).ToList();
        if (unusedNames.Count > 0) throw DynamoExpression.Invalid($"Value provided in ExpressionAttributeNames unused in expressions: keys: {{{string.Join(", ", unusedNames)}}}");
    }

    /// <summary>Splits a key condition into the partition key's equality and the optional sort key condition.</summary>
    private static (DynamoExpression.Node Hash, DynamoExpression.Node? Range) SplitKeyCondition(DynamoExpression.Node key, KeySchema schema)
    {
        var parts = key is DynamoExpression.Logical { Op: "AND" } and ? new[] { and.Left, and.Right } : [key];
        DynamoExpression.Node? hash = null, range = null;
        foreach (var part in parts)
        {
            var attribute = part switch
            {
                DynamoExpression.Compare { Left: DynamoExpression.Attr a } => a.Name,
                DynamoExpression.Between { Operand: DynamoExpression.Attr a } => a.Name,
                DynamoExpression.Function { Name: "begins_with", Arguments: [DynamoExpression.Attr a, ..] } => a.Name,
                _ => throw DynamoExpression.Invalid("Invalid operator used in KeyConditionExpression: " + part.GetType().Name.ToUpperInvariant()),
            };
            if (attribute != schema.HashKey && attribute != schema.RangeKey)
                throw DynamoExpression.Invalid($"Query condition missed key schema element: {(parts.Any(p => p is DynamoExpression.Compare { Left: DynamoExpression.Attr h } && h.Name == schema.HashKey) ? schema.RangeKey : schema.HashKey)}");
            if (attribute == schema.HashKey && part is DynamoExpression.Compare { Op: "=" } && hash is null) hash = part;
            else if (attribute == schema.RangeKey && range is null && part is not DynamoExpression.Compare { Op: "<>" }) range = part;
            else throw DynamoExpression.Invalid($"Query key condition not supported");
        }
        return (hash ?? throw DynamoExpression.Invalid($"Query condition missed key schema element: {schema.HashKey}"), range);
    }

    /// <summary>Reads on from the start key, up to Limit items or 1 MB, and answers the page.</summary>
    private object Page(ReadRequest request, IEnumerable<IReadOnlyDictionary<string, AttributeValue>> items, IReadOnlyList<string> order, bool hashFirst, bool forward)
    {
        if (request.StartKey is { } startKey && order.Any(k => !startKey.ContainsKey(k)))
            throw DynamoExpression.Invalid("The provided starting key is invalid: The provided key element does not match the schema");
        var tableKeys = TableIndexes.KeysOf(request.Table);
        var keyNames = new[] { tableKeys.HashKey, tableKeys.RangeKey, request.Index?.Keys.HashKey, request.Index?.Keys.RangeKey }
            .OfType<string>().Distinct().ToList();
        var started = request.StartKey is null;
        var scanned = 0;
        var bytes = 0;
        var found = new List<IReadOnlyDictionary<string, AttributeValue>>();
        IReadOnlyDictionary<string, AttributeValue>? last = null;
        var more = false;
        foreach (var item in items)
        {
            if (!started)
            {
                if (!IsAfter(item, request.StartKey!, order, hashFirst, forward)) continue;
                started = true;
            }
            if (scanned == request.Limit || bytes >= MaxPageBytes)
            {
                more = true;
                break;
            }
            scanned++;
            bytes += ItemSnapshot.ItemSize(item);
            last = item;
            if (request.Filter is null || DynamoExpression.Matches(request.Filter, item)) found.Add(item);
        }
        var units = Math.Ceiling(bytes / 4096.0) * 0.5;
        return new
        {
            Items = request.CountOnly ? null : found.Select(i => Project(i, request.Projection)).ToList(),
            Count = found.Count,
            ScannedCount = scanned,
            LastEvaluatedKey = more && last is not null ? keyNames.ToDictionary(k => k, k => last[k].ToWire()) : null,
            ConsumedCapacity = request.ReturnCapacity ? new { TableName = request.Table.Name, CapacityUnits = Math.Max(0.5, units) } : null,
        };
    }

    private static Dictionary<string, object> Project(IReadOnlyDictionary<string, AttributeValue> item, IReadOnlyList<string>? projection) =>
        (projection is null ? item : item.Where(kv => projection.Contains(kv.Key))).ToDictionary(kv => kv.Key, kv => kv.Value.ToWire());
}
