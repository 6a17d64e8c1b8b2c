namespace Bot.Integrations.Aws.DynamoDb;

/// <summary>An export of a table to S3 (<c>ExportTableToPointInTime</c>) as DescribeExport tells it.</summary>
public sealed record TableExport(string ExportArn, string Status, long? ItemCount, long? BilledBytes, string? ManifestKey, string? FailureCode, string? FailureMessage,
    DateTimeOffset? Started, DateTimeOffset? Ended)
{
    public bool InProgress => Status == "IN_PROGRESS";
    public bool Completed => Status == "COMPLETED";
}

/// <summary>
/// The ops guide's "export to S3 for analysis" (<c>aws dynamodb export-table-to-point-in-time … --s3-bucket securebase-audit-exports</c>):
/// DynamoDB writes the table, as it was at a moment inside its point-in-time recovery window, to S3 (the caller's role needs to
/// be allowed to put objects in the bucket), and DescribeExport follows it.
/// </summary>
[AwsClient("dynamodb")]
public interface IDynamoDbExports
{
    /// <summary>Starts the export (DYNAMODB_JSON); <paramref name="clientToken"/> makes a repeat of the same request the same export.</summary>
    [ChangesAws, AlsoNeedsIam("s3:PutObject", "s3:AbortMultipartUpload", "s3:PutObjectAcl")]
    Task<TableExport> ExportTableToPointInTimeAsync(string tableArn, string bucket, string prefix, DateTimeOffset? exportTime, string clientToken, CancellationToken cancellationToken);

    Task<TableExport> DescribeExportAsync(string exportArn, CancellationToken cancellationToken);
}
