using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Bot.Integrations.Aws.DynamoDb;

public sealed class DynamoDbExports(DynamoDbClientProvider clients) : IDynamoDbExports
{
    public async Task<TableExport> ExportTableToPointInTimeAsync(string tableArn, string bucket, string prefix, DateTimeOffset? exportTime, string clientToken,
        CancellationToken cancellationToken)
    {
        var response = await DynamoDbCall.RunAsync(clients, "ExportTableToPointInTime", dynamo => dynamo.ExportTableToPointInTimeAsync(new ExportTableToPointInTimeRequest
        {
            TableArn = tableArn,
            S3Bucket = bucket,
            S3Prefix = prefix,
            ExportFormat = ExportFormat.DYNAMODB_JSON,
            ExportTime = exportTime?.UtcDateTime,
            ClientToken = clientToken,
        }, cancellationToken), cancellationToken);
        return Read(response.ExportDescription);
    }

    public async Task<TableExport> DescribeExportAsync(string exportArn, CancellationToken cancellationToken)
    {
        var response = await DynamoDbCall.RunAsync(clients, "DescribeExport",
            dynamo => dynamo.DescribeExportAsync(new DescribeExportRequest { ExportArn = exportArn }, cancellationToken), cancellationToken);
        return Read(response.ExportDescription);
    }

    private static TableExport Read(ExportDescription d) => new(
        d.ExportArn ?? "", d.ExportStatus?.Value ?? "UNKNOWN", d.ItemCount, d.BilledSizeBytes, d.ExportManifest, d.FailureCode, d.FailureMessage,
        Utc(d.StartTime), Utc(d.EndTime));

    private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
