using System.Text;
using Amazon.DynamoDBv2.Model;
using static Bot.Workflows.Storage.DynamoDb.DynamoDbTableDefinition;

namespace Bot.Workflows.Storage.DynamoDb;

/// <summary>
/// DynamoDB's hard limits, checked before a write is sent so that what DynamoDB would refuse is refused here with a
/// clear <see cref="StoreLimitExceededException"/> and nothing is half-written. Sizes follow AWS's item size rules
/// (attribute names and values in UTF-8 bytes, numbers about one byte per two digits).
/// </summary>
internal static class DynamoDbLimits
{
    public const int MaxItemBytes = 400 * 1024;
    public const int MaxPartitionKeyBytes = 2048;
    public const int MaxSortKeyBytes = 1024;
    public const int MaxTransactionActions = 100;
    public const int MaxTransactionBytes = 4 * 1024 * 1024;

    /// <summary>The item's size as DynamoDB counts it.</summary>
    public static int ItemSize(Dictionary<string, AttributeValue> item)
    {
        var size = 0;
        foreach (var (name, value) in item) size += Encoding.UTF8.GetByteCount(name) + ValueSize(value);
        return size;
    }

    private static int ValueSize(AttributeValue value) =>
        value.S is not null ? Encoding.UTF8.GetByteCount(value.S)
        : value.N is not null ? (value.N.TrimStart('-').Trim('0').Replace(".", "", StringComparison.Ordinal).Length + 1) / 2 + 1
        : 1;

    /// <summary>Throws when <paramref name="item"/> (described by <paramref name="what"/>) cannot be stored; returns its size.</summary>
    public static int Check(Dictionary<string, AttributeValue> item, string what)
    {
        var pk = Encoding.UTF8.GetByteCount(item[PkName].S);
        if (pk > MaxPartitionKeyBytes)
            throw new StoreLimitExceededException($"{what} has a partition key of {pk} bytes; DynamoDB allows at most {MaxPartitionKeyBytes}. Nothing was written.");
        var sk = Encoding.UTF8.GetByteCount(item[SkName].S);
        if (sk > MaxSortKeyBytes)
            throw new StoreLimitExceededException($"{what} has a sort key of {sk} bytes; DynamoDB allows at most {MaxSortKeyBytes}. Nothing was written.");
        var size = ItemSize(item);
        if (size > MaxItemBytes)
            throw new StoreLimitExceededException($"{what} would be a {Kb(size)} KB DynamoDB item; DynamoDB holds at most 400 KB per item. Nothing was written.");
        return size;
    }

    /// <summary>Throws when one transaction would hold more actions or bytes than DynamoDB accepts.</summary>
    public static void CheckTransaction(int actions, long bytes)
    {
        if (actions > MaxTransactionActions)
            throw new StoreLimitExceededException(
                $"This unit of work needs {actions} writes in one transaction; DynamoDB allows at most {MaxTransactionActions} actions per transaction. Nothing was written.");
        if (bytes > MaxTransactionBytes)
            throw new StoreLimitExceededException(
                $"This unit of work writes {bytes / (1024.0 * 1024):0.0} MB in one transaction; DynamoDB allows at most 4 MB per transaction. Nothing was written.");
    }

    private static string Kb(int bytes) => Math.Ceiling(bytes / 1024.0).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
