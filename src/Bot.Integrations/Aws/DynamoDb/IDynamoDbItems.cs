namespace Bot.Integrations.Aws.DynamoDb;

/// <summary>A table's keys: its ARN, the global secondary indexes with their partition and sort keys, and its item count (refreshed by DynamoDB about every six hours).</summary>
public sealed record TableKeys(string TableName, string TableArn, IReadOnlyList<IndexKeys> Indexes, long ItemCount)
{
    /// <summary>An index whose partition key is <paramref name="attribute"/> (e.g. the activity feed's <c>ActionIndex</c> on <c>action</c>), if any.</summary>
    public IndexKeys? IndexOn(string attribute) => Indexes.FirstOrDefault(i => i.PartitionKey == attribute);
}

public sealed record IndexKeys(string Name, string PartitionKey, string? SortKey);

/// <summary>
/// One page of a Query or a Scan: a table (or an index), expressions with <c>#name</c> and <c>:value</c> placeholders (the
/// values are strings; DynamoDB's reserved words such as <c>action</c> and <c>timestamp</c> must be placeholders), at
/// most <see cref="Limit"/> items read, from <see cref="StartKey"/> on.
/// </summary>
public sealed record ItemRead
{
    public required string Table { get; init; }
    public string? Index { get; init; }
    /// <summary>Query only: the key condition.</summary>
    public string? KeyCondition { get; init; }
    public string? Filter { get; init; }
    public IReadOnlyDictionary<string, string> Names { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();
    public int Limit { get; init; } = 500;
    public PageKey? StartKey { get; init; }
    /// <summary>Query only: sort-key order.</summary>
    public bool Ascending { get; init; } = true;
}

/// <summary>
/// What a page read: its items (each attribute as text: strings as they are, numbers in their decimal form, booleans
/// <c>true</c>/<c>false</c>), how many items it read (before the filter), and where the next page starts (null: the end).
/// </summary>
public sealed record ItemPage(IReadOnlyList<IReadOnlyDictionary<string, string>> Items, int Scanned, PageKey? NextKey);

/// <summary>Where the next page starts (DynamoDB's <c>LastEvaluatedKey</c>), opaque to callers.</summary>
public sealed class PageKey
{
    internal PageKey(Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> key) => Key = key;
    internal Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> Key { get; }
}

/// <summary>
/// Reading SecureBase's own tables (the activity feed) with AWSSDK.DynamoDBv2: one page at a time, so a caller holds at
/// most a page in memory and decides how far to go.
/// </summary>
[AwsClient("dynamodb")]
public interface IDynamoDbItems
{
    /// <summary>The table's ARN and indexes (DescribeTable).</summary>
    [IamAction("DescribeTable")]
    Task<TableKeys> DescribeKeysAsync(string table, CancellationToken cancellationToken);

    /// <summary>One page of a Query on the table or an index.</summary>
    Task<ItemPage> QueryAsync(ItemRead read, CancellationToken cancellationToken);

    /// <summary>One page of a Scan; callers bound how many pages they read.</summary>
    Task<ItemPage> ScanAsync(ItemRead read, CancellationToken cancellationToken);
}
