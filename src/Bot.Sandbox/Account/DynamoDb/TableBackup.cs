namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>
/// An on-demand (USER) backup of a table, or the SYSTEM backup DynamoDB keeps of a deleted table with PITR on: the
/// table as it was at <see cref="Created"/>, kept after the table is deleted. It is <c>CREATING</c> until <see cref="AvailableAt"/>, then <c>AVAILABLE</c>.
/// </summary>
internal sealed record TableBackup(
    string Arn,
    string Name,
    TableState Source,
    DynamoTable SourceDefinition,
    DateTimeOffset Created,
    DateTimeOffset AvailableAt,
    string Type = "USER")
{
    public string Status(DateTimeOffset now) => now >= AvailableAt ? "AVAILABLE" : "CREATING";

    private long? _itemCount;

    /// <summary>The items the table held when the backup was taken (counted once: the past does not change).</summary>
    public long ItemCount => _itemCount ??= Source.HasItems ? Source.Items!.CountAt(Created) : SourceDefinition.ItemCount;

    public long SizeBytes => SourceDefinition.ItemCount == 0
        ? ItemCount * 400
        : (long)Math.Round(ItemCount * (double)SourceDefinition.SizeBytes / SourceDefinition.ItemCount);

    /// <summary>A backup ARN as DynamoDB makes them: <c>…:table/&lt;table&gt;/backup/&lt;epoch ms&gt;-&lt;8 hex&gt;</c>.</summary>
    public static string ArnFor(DynamoTable table, DateTimeOffset created, int seed, long n) =>
        $"{table.Arn}/backup/{created.ToUnixTimeMilliseconds():D14}-{Deterministic.Guid(seed, table.Name + ":backup", n).ToString("N")[..8]}";
}
