using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bot.Sandbox.Account.S3;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>
/// ExportTableToPointInTime, DescribeExport and ListExports: an export reads the table as it was at the export time (inside
/// the point-in-time recovery window) and, once <see cref="RecoveryOptions.ExportDuration"/> has passed on the account's
/// clock, writes AWS's layout into the bucket: <c>data/&lt;file&gt;.json.gz</c> (one <c>{"Item":{…}}</c> per line, DynamoDB
/// JSON), <c>manifest-files.json</c> and <c>manifest-summary.json</c>. A missing bucket makes the export FAILED then.
/// </summary>
public sealed partial class DynamoDbTables
{
    private readonly List<TableExport> _exports = [];

    internal TableExport StartExport(string tableArn, string bucket, string? prefix, string format, DateTimeOffset? exportTime, string? clientToken) => Change(now =>
    {
        if (format is not ("DYNAMODB_JSON" or "ION"))
            throw new AwsException("ValidationException", $"1 validation error detected: Value '{format}' at 'exportFormat' failed to satisfy constraint: Member must satisfy enum value set: [DYNAMODB_JSON, ION]");
        if (clientToken is not null && _exports.FirstOrDefault(e => e.ClientToken == clientToken && now - e.Started < TimeSpan.FromHours(8)) is { } earlier)
        {
            if (earlier.Table.Arn != tableArn || earlier.Bucket != bucket || earlier.Prefix != prefix)
                throw new AwsException("IdempotentParameterMismatchException", "The ClientToken was used before with different parameters.");
            return Settle(earlier, now);
        }
        var table = _tables.Values.FirstOrDefault(t => t.Definition.Arn == tableArn && !t.IsGone(now))
                    ?? throw new AwsException("TableNotFoundException", $"Table not found: {tableArn}");
        if (table.Pitr.Window(now) is not { } window)
            throw new AwsException("PointInTimeRecoveryUnavailableException", $"Point in time recovery is not enabled for table '{table.Name}'");
        var time = exportTime ?? now;
        if (time < window.Earliest || time > now)
            throw new AwsException("InvalidExportTimeException",
                $"Export time must be between EarliestRestorableDateTime {Iso(window.Earliest)} and the current time");
        var ms = now.ToUnixTimeMilliseconds();
        var suffix = Deterministic.Guid(_account.Options.Seed, "export:" + table.Name, NextId()).ToString("N")[..8];
        var exportId = ms.ToString("D13", CultureInfo.InvariantCulture) + "-" + suffix;
        var export = new TableExport($"{table.Definition.Arn}/export/{exportId}", exportId, table.Definition, table, bucket, prefix, format, time, now,
            now + Options.ExportDuration, clientToken);
        _exports.Add(export);
        return export;
    });

    /// <summary>DescribeExport: the export, settled to now.</summary>
    internal TableExport FindExport(string arn) => Change(now =>
        Settle(_exports.FirstOrDefault(e => e.Arn == arn) ?? throw new AwsException("ExportNotFoundException", $"Export not found: {arn}"), now));

    /// <summary>ListExports: every export (of one table when named), newest first, settled to now.</summary>
    internal IReadOnlyList<TableExport> Exports(string? tableArn) => Change(now =>
        _exports.Where(e => tableArn is null || e.Table.Arn == tableArn).OrderByDescending(e => e.Started).Select(e => Settle(e, now)).ToList());

    private TableExport Settle(TableExport export, DateTimeOffset now)
    {
        if (export.Settled || now < export.Ends) return export;
        export.Settled = true;
        var bucket = _account.S3.Bucket(export.Bucket);
        if (bucket is null)
        {
            export.FailureCode = "S3NoSuchBucket";
            export.FailureMessage = $"The specified bucket does not exist: {export.Bucket}";
            return export;
        }
        var (data, count) = DataFile(export);
        var dataKey = export.Folder + "data/" + Deterministic.Guid(_account.Options.Seed, "export-file:" + export.ExportId).ToString("N")[..26] + ".json.gz";
        var dataEtag = Put(bucket, dataKey, data, "application/x-gzip", export.Ends);
        var manifestFiles = JsonSerializer.Serialize(new
        {
            itemCount = count,
#pragma warning disable CA5351 // AWS's manifest names each file's MD5; nothing here relies on it for security.
            md5Checksum = Convert.ToBase64String(MD5.HashData(data)),
#pragma warning restore CA5351
            etag = dataEtag,
            dataFileS3Key = dataKey,
        }) + "\n";
        var filesKey = export.Folder + "manifest-files.json";
        Put(bucket, filesKey, Encoding.UTF8.GetBytes(manifestFiles), "application/json", export.Ends);
        var summary = JsonSerializer.Serialize(new
        {
            version = "2020-06-30",
            exportArn = export.Arn,
            startTime = ActivityFeedGenerator.Iso(export.Started),
            endTime = ActivityFeedGenerator.Iso(export.Ends),
            tableArn = export.Table.Arn,
            tableId = export.Table.TableId,
            exportTime = ActivityFeedGenerator.Iso(export.ExportTime),
            s3Bucket = export.Bucket,
            s3Prefix = export.Prefix,
            s3SseAlgorithm = "AES256",
            manifestFilesS3Key = filesKey,
            billedSizeBytes = data.LongLength,
            itemCount = count,
            outputFormat = export.Format,
        });
        export.ManifestKey = export.Folder + "manifest-summary.json";
        Put(bucket, export.ManifestKey, Encoding.UTF8.GetBytes(summary), "application/json", export.Ends);
        export.ItemCount = count;
        export.BilledBytes = data.LongLength;
        return export;
    }

    /// <summary>The table's items at the export time, one <c>{"Item":{…}}</c> line each, gzipped.</summary>
    private static (byte[] Data, long Count) DataFile(TableExport export)
    {
        using var buffer = new MemoryStream();
        long count = 0;
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var json = new Utf8JsonWriter(gzip))
        {
            var items = export.State.Items;
            IReadOnlyDictionary<string, DynamoValue>? start = null;
            while (items is not null)
            {
                var page = items.Scan(start, export.ExportTime, 1000, null);
                foreach (var item in page.Items)
                {
                    json.WriteStartObject();
                    json.WritePropertyName("Item");
                    json.WriteStartObject();
                    foreach (var (name, value) in item.Attributes)
                    {
                        json.WritePropertyName(name);
                        value.Write(json);
                    }
                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.Flush();
                    gzip.WriteByte((byte)'\n');
                    json.Reset();
                    count++;
                }
                if (page.LastEvaluatedKey is null) break;
                start = page.LastEvaluatedKey;
            }
        }
        return (buffer.ToArray(), count);
    }

    private static string Put(ReportBucket bucket, string key, byte[] content, string contentType, DateTimeOffset at) =>
        bucket.Put(versionId => ObjectVersion.Uploaded(key, versionId, at, content, contentType)).ETag;
}
