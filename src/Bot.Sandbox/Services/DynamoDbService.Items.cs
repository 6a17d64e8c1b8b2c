using System.Text.Json;
using Bot.Sandbox.Account;
using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Account.DynamoDb.Expressions;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>
/// Item operations on the tables whose items the sandbox keeps (<see cref="TableItems"/>: the user-sessions tables, the
/// activity feeds and copies of either): GetItem, PutItem, DeleteItem (ConditionExpression, ReturnValues ALL_OLD),
/// BatchWriteItem, and Query and Scan — key conditions on the table or a global secondary index, FilterExpression,
/// ProjectionExpression, Select (ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, SPECIFIC_ATTRIBUTES, COUNT), Limit (items
/// read, before the filter), pages of at most 1 MB with LastEvaluatedKey and ExclusiveStartKey, ScanIndexForward,
/// parallel Scan segments and ReturnConsumedCapacity. Reserved words must be <c>#name</c> placeholders, as on AWS. A
/// <c>table-throttle</c> fault makes that share of requests fail with ProvisionedThroughputExceededException and, in
/// BatchWriteItem, that share of the writes come back in <c>UnprocessedItems</c> (all of them: the exception).
/// </summary>
internal sealed partial class DynamoDbService
{
    private const int MaxBatchWrites = 25;
    private long _draws;

    private object GetItem(JsonInput input)
    {
        var (table, items) = ItemTable(input);
        var attributes = Attributes(input);
        var projection = input.String("ProjectionExpression") is { } p ? ExpressionParser.ParseProjection(p, attributes) : null;
        attributes.CheckAllUsed();
        var key = Key(input, items, "Key");
        Throttle(table);
        return new { Item = items.Get(key, Now)?.Project(projection), ConsumedCapacity = Consumed(input, table, 0.5) };
    }

    private object PutItem(JsonInput input)
    {
        var (table, items) = ItemTable(input);
        var item = DynamoValue.ReadMap(input.Element("Item") ?? throw input.Invalid("1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null"), "Item");
        items.Keys.CheckItem(item);
        var condition = Condition(input);
        Throttle(table);
        var old = items.Change(items.Keys.KeyOf(item), item, Now, condition);
        return new { Attributes = input.String("ReturnValues") == "ALL_OLD" ? old?.Attributes : null, ConsumedCapacity = Consumed(input, table, 1) };
    }

    private object DeleteItem(JsonInput input)
    {
        var (table, items) = ItemTable(input);
        var key = Key(input, items, "Key");
        var condition = Condition(input);
        Throttle(table);
        var old = items.Change(key, null, Now, condition);
        return new { Attributes = input.String("ReturnValues") == "ALL_OLD" ? old?.Attributes : null, ConsumedCapacity = Consumed(input, table, 1) };
    }

    private object BatchWriteItem(JsonInput input)
    {
        var requests = input.Element("RequestItems") is { ValueKind: JsonValueKind.Object } r ? r
            : throw input.Invalid("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null");
        var work = new List<(TableState Table, TableItems Items, JsonElement Request, Dictionary<string, DynamoValue> Key, Dictionary<string, DynamoValue>? Item)>();
        foreach (var entry in requests.EnumerateObject())
        {
            var table = Tables.Find(entry.Name) ?? throw new AwsException("ResourceNotFoundException", "Requested resource not found");
            var items = ItemsOf(table);
            if (entry.Value.ValueKind != JsonValueKind.Array || entry.Value.GetArrayLength() == 0)
                throw input.Invalid("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var request in entry.Value.EnumerateArray())
            {
                Dictionary<string, DynamoValue> key;
                Dictionary<string, DynamoValue>? item = null;
                if (request.TryGetProperty("PutRequest", out var put) && put.TryGetProperty("Item", out var putItem))
                {
                    item = DynamoValue.ReadMap(putItem, "PutRequest.Item");
                    items.Keys.CheckItem(item);
                    key = items.Keys.KeyOf(item);
                }
                else if (request.TryGetProperty("DeleteRequest", out var delete) && delete.TryGetProperty("Key", out var deleteKey))
                {
                    key = DynamoValue.ReadMap(deleteKey, "DeleteRequest.Key");
                    items.Keys.CheckKey(key);
                }
                else throw input.Invalid("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
                if (!seen.Add(items.Keys.Text(key))) throw input.Invalid("Provided list of item keys contains duplicates");
                work.Add((table, items, request.Clone(), key, item));
            }
        }
        if (work.Count > MaxBatchWrites)
            throw input.Invalid("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");

        var now = Now;
        var unprocessed = work.Where(w => ThrottleDraw(w.Table)).ToList();
        if (unprocessed.Count == work.Count && work.Count > 0) throw Throttled(work[0].Table);
        foreach (var w in work.Except(unprocessed)) w.Items.Change(w.Key, w.Item, now);
        return new
        {
            UnprocessedItems = unprocessed.GroupBy(w => w.Table.Name).ToDictionary(g => g.Key, g => g.Select(w => w.Request).ToList()),
            ConsumedCapacity = input.String("ReturnConsumedCapacity") is "TOTAL" or "INDEXES"
                ? work.Except(unprocessed).GroupBy(w => w.Table.Name).Select(g => new { TableName = g.Key, CapacityUnits = (double)g.Count() }).ToList()
                : null,
        };
    }

    private object Scan(JsonInput input)
    {
        var (table, items) = ItemTable(input);
        var index = Index(input, items);
        var attributes = Attributes(input);
        var filter = input.String("FilterExpression") is { } f ? ExpressionParser.Parse(f, "FilterExpression", attributes) : null;
        var projection = input.String("ProjectionExpression") is { } p ? ExpressionParser.ParseProjection(p, attributes) : null;
        attributes.CheckAllUsed();
        var (segment, total) = (input.Int("Segment"), input.Int("TotalSegments"));
        if (segment is not null && total is null)
            throw input.Invalid("The TotalSegments parameter is required but was not present in the request when parameter Segment is present");
        if (total is not null && segment is null)
            throw input.Invalid("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
        if (total is < 1 or > 1_000_000)
            throw input.Invalid("1 validation error detected: Value at 'totalSegments' failed to satisfy constraint: Member must have value between 1 and 1000000");
        if (segment < 0 || segment >= total)
            throw input.Invalid($"The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {segment} is not less than TotalSegments: {total}");
        var select = Select(input, projection, index);
        Throttle(table);
        var page = items.Scan(StartKey(input), Now, Limit(input), filter, segment ?? 0, total ?? 1, index);
        return Result(input, table, page, projection, select);
    }

    private object Query(JsonInput input)
    {
        var (table, items) = ItemTable(input);
        var index = Index(input, items);
        var attributes = Attributes(input);
        var text = input.String("KeyConditionExpression") ?? throw input.Invalid("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        var schema = index?.Keys ?? items.Keys.Schema;
        var key = KeyCondition.Parse(text, schema.HashKey, schema.RangeKey, attributes);
        var filter = input.String("FilterExpression") is { } f ? ExpressionParser.Parse(f, "FilterExpression", attributes) : null;
        var projection = input.String("ProjectionExpression") is { } p ? ExpressionParser.ParseProjection(p, attributes) : null;
        attributes.CheckAllUsed();
        var select = Select(input, projection, index);
        Throttle(table);
        var page = items.Query(key, index, Now, input.Bool("ScanIndexForward") ?? true, StartKey(input), Limit(input), filter);
        return Result(input, table, page, projection, select);
    }

    /// <summary>The IndexName of a Query or Scan (null: the table); strongly consistent reads are refused on an index, as on AWS.</summary>
    private static TableIndex? Index(JsonInput input, TableItems items)
    {
        if (input.String("IndexName") is not { } name) return null;
        var index = items.Keys.Index(name) ?? throw input.Invalid($"The table does not have the specified index: {name}");
        if (input.Bool("ConsistentRead") == true) throw input.Invalid("Consistent reads are not supported on global secondary indexes");
        return index;
    }

    private static string Select(JsonInput input, IReadOnlyList<string>? projection, TableIndex? index)
    {
        var select = input.String("Select") ?? (projection is null ? "ALL_ATTRIBUTES" : "SPECIFIC_ATTRIBUTES");
        if (select is not ("ALL_ATTRIBUTES" or "ALL_PROJECTED_ATTRIBUTES" or "SPECIFIC_ATTRIBUTES" or "COUNT"))
            throw input.Invalid($"1 validation error detected: Value '{select}' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
        if (projection is not null && select != "SPECIFIC_ATTRIBUTES")
            throw input.Invalid("Cannot specify the ProjectionExpression when choosing to get " + select);
        if (select == "ALL_PROJECTED_ATTRIBUTES" && index is null)
            throw input.Invalid("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        return select;
    }

    private static object Result(JsonInput input, TableState table, ItemPage page, IReadOnlyList<string>? projection, string select) => new
    {
        Items = select == "COUNT" ? null : page.Items.Select(i => i.Project(projection)).ToList(),
        Count = page.Items.Count,
        ScannedCount = page.ScannedCount,
        LastEvaluatedKey = page.LastEvaluatedKey,
        // Reads are charged for what was read (4 KB units, eventually consistent: half a unit each), not what matched.
        ConsumedCapacity = Consumed(input, table, Math.Max(0.5, Math.Ceiling(page.ScannedBytes / 4096.0) * 0.5)),
    };

    private (TableState Table, TableItems Items) ItemTable(JsonInput input)
    {
        foreach (var legacy in new[] { "AttributesToGet", "ScanFilter", "QueryFilter", "KeyConditions", "Expected", "ConditionalOperator" })
            if (input.Has(legacy)) throw input.Invalid($"The sandbox takes expression parameters only, not the legacy {legacy}.");
        var table = Find(input, "ResourceNotFoundException");
        return (table, ItemsOf(table));
    }

    private TableItems ItemsOf(TableState table)
    {
        if (table.Status(Now) is "CREATING" or "DELETING") throw new AwsException("ResourceNotFoundException", "Requested resource not found");
        return table.Items ?? throw new AwsException("ValidationException",
            $"The sandbox keeps items only for the user-sessions and activity-feed tables and copies of them; {table.Name} has none to read or write.");
    }

    private static ExpressionAttributes Attributes(JsonInput input)
    {
        var names = input.StringMap("ExpressionAttributeNames");
        var values = input.Element("ExpressionAttributeValues") is { } v ? DynamoValue.ReadMap(v, "ExpressionAttributeValues") : [];
        return new ExpressionAttributes(names, values);
    }

    /// <summary>The ConditionExpression as a check to run against the current item (null when none).</summary>
    private static Action<StoredItem?>? Condition(JsonInput input)
    {
        var attributes = Attributes(input);
        var condition = input.String("ConditionExpression") is { } c ? ExpressionParser.Parse(c, "ConditionExpression", attributes) : null;
        attributes.CheckAllUsed();
        if (condition is null) return null;
        return current =>
        {
            if (!condition.Evaluate(current ?? new StoredItem(new Dictionary<string, DynamoValue>())))
                throw new AwsException("ConditionalCheckFailedException", "The conditional request failed");
        };
    }

    private static Dictionary<string, DynamoValue> Key(JsonInput input, TableItems items, string member)
    {
        var key = DynamoValue.ReadMap(input.Element(member) ?? throw input.Invalid($"1 validation error detected: Value null at '{member.ToLowerInvariant()}' failed to satisfy constraint: Member must not be null"), member);
        items.Keys.CheckKey(key);
        return key;
    }

    private static Dictionary<string, DynamoValue>? StartKey(JsonInput input) =>
        input.Element("ExclusiveStartKey") is { } k ? DynamoValue.ReadMap(k, "ExclusiveStartKey") : null;

    private static int? Limit(JsonInput input) => input.Int("Limit") is { } l
        ? l >= 1 ? l : throw input.Invalid($"1 validation error detected: Value '{l}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
        : null;

    private static object? Consumed(JsonInput input, TableState table, double units) =>
        input.String("ReturnConsumedCapacity") is "TOTAL" or "INDEXES" ? new { TableName = table.Name, CapacityUnits = units } : null;

    private void Throttle(TableState table)
    {
        if (ThrottleDraw(table)) throw Throttled(table);
    }

    /// <summary>Whether this request to <paramref name="table"/> is throttled, drawn against the table-throttle faults in force.</summary>
    private bool ThrottleDraw(TableState table)
    {
        var now = Now;
        var rate = Math.Min(1, _account.Faults.Index.ForTable(table.Name).Where(f => f.Start <= now && (f.End is null || f.End > now)).Sum(f => f.Rate));
        if (rate <= 0) return false;
        return Deterministic.Unit(_account.Options.Seed, table.Name + ":throttle-draw", Interlocked.Increment(ref _draws)) < rate;
    }

    private static AwsException Throttled(TableState table) => new("ProvisionedThroughputExceededException", table.Definition.Provisioned
        ? "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API."
        : "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html");
}
