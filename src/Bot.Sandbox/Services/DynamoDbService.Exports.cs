using System.Text;
using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Services;

/// <summary>ExportTableToPointInTime, DescribeExport and ListExports (the ops guide's "export to S3 for analysis").</summary>
internal sealed partial class DynamoDbService
{
    private object ExportTableToPointInTime(JsonInput input)
    {
        var tableArn = input.RequiredString("TableArn");
        var bucket = input.RequiredString("S3Bucket");
        if (input.String("ExportType") is { } type && type != "FULL_EXPORT")
            throw input.Invalid("The sandbox exports whole tables only (ExportType FULL_EXPORT).");
        var token = input.String("ClientToken");
        if (token is { Length: < 1 or > 36 })
            throw input.Invalid($"1 validation error detected: Value '{token}' at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to 36");
        var export = Tables.StartExport(tableArn, bucket, input.String("S3Prefix"), input.String("ExportFormat") ?? "DYNAMODB_JSON", input.Timestamp("ExportTime"), token);
        return new { ExportDescription = Describe(export) };
    }

    private object DescribeExport(JsonInput input) => new { ExportDescription = Describe(Tables.FindExport(input.RequiredString("ExportArn"))) };

    private object ListExports(JsonInput input)
    {
        var max = input.Int("MaxResults") ?? 25;
        if (max is < 1 or > 25)
            throw input.Invalid($"1 validation error detected: Value '{max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 25");
        var all = Tables.Exports(input.String("TableArn"));
        var offset = input.String("NextToken") is { } token && int.TryParse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), out var n) ? n : 0;
        var page = all.Skip(offset).Take(max).ToList();
        return new
        {
            ExportSummaries = page.Select(e => new { e.Arn, ExportArn = e.Arn, ExportStatus = e.Status(Now), ExportType = "FULL_EXPORT" })
                .Select(e => new { e.ExportArn, e.ExportStatus, e.ExportType }).ToList(),
            NextToken = offset + page.Count < all.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture))) : null,
        };
    }

    private object Describe(TableExport e)
    {
        var status = e.Status(Now);
        var done = status != "IN_PROGRESS";
        return new
        {
            ExportArn = e.Arn,
            ExportStatus = status,
            StartTime = SandboxJson.EpochSeconds(e.Started),
            EndTime = done ? SandboxJson.EpochSeconds(e.Ends) : (double?)null,
            ExportManifest = done ? e.ManifestKey : null,
            TableArn = e.Table.Arn,
            TableId = e.Table.TableId,
            ExportTime = SandboxJson.EpochSeconds(e.ExportTime),
            ClientToken = e.ClientToken,
            S3Bucket = e.Bucket,
            S3Prefix = e.Prefix,
            S3SseAlgorithm = "AES256",
            FailureCode = done ? e.FailureCode : null,
            FailureMessage = done ? e.FailureMessage : null,
            ExportFormat = e.Format,
            BilledSizeBytes = done && e.FailureCode is null ? e.BilledBytes : (long?)null,
            ItemCount = done && e.FailureCode is null ? e.ItemCount : (long?)null,
            ExportType = "FULL_EXPORT",
        };
    }
}
