namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>
/// One ExportTableToPointInTime: the table as it was at <see cref="ExportTime"/>, written to <see cref="Bucket"/> under
/// <c>&lt;prefix&gt;/AWSDynamoDB/&lt;export id&gt;/</c> when <see cref="Ends"/> has passed (the files appear then, as the
/// export completes), or failed when the bucket does not exist by then.
/// </summary>
internal sealed class TableExport(string arn, string exportId, DynamoTable table, TableState state, string bucket, string? prefix, string format,
    DateTimeOffset exportTime, DateTimeOffset started, DateTimeOffset ends, string? clientToken)
{
    public string Arn { get; } = arn;
    public string ExportId { get; } = exportId;
    public DynamoTable Table { get; } = table;
    public TableState State { get; } = state;
    public string Bucket { get; } = bucket;
    public string? Prefix { get; } = prefix;
    public string Format { get; } = format;
    public DateTimeOffset ExportTime { get; } = exportTime;
    public DateTimeOffset Started { get; } = started;
    public DateTimeOffset Ends { get; } = ends;
    public string? ClientToken { get; } = clientToken;

    /// <summary>Set when the export settles: COMPLETED with what it wrote, or FAILED with AWS's code and message.</summary>
    public bool Settled { get; set; }
    public string? FailureCode { get; set; }
    public string? FailureMessage { get; set; }
    public long ItemCount { get; set; }
    public long BilledBytes { get; set; }
    public string? ManifestKey { get; set; }

    public string Status(DateTimeOffset now) => now < Ends || !Settled ? "IN_PROGRESS" : FailureCode is null ? "COMPLETED" : "FAILED";

    /// <summary>Where its files go: <c>&lt;prefix&gt;/AWSDynamoDB/&lt;export id&gt;/</c>.</summary>
    public string Folder => $"{(string.IsNullOrEmpty(Prefix) ? "" : Prefix.TrimEnd('/') + "/")}AWSDynamoDB/{ExportId}/";
}
