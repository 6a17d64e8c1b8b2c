using System.Security.Cryptography;
using System.Text;
using Bot.Commands.Audit;
using Bot.Commands.Security.Feed;

namespace Bot.Commands.Security.Compliance;

/// <summary>What an export wrote: rows, the SHA-256 of the file, how the feed was read, and the most rows held at once.</summary>
public sealed record ComplianceExport(long Rows, string Sha256, long Bytes, FeedReadResult Read, int MostRowsAtOnce);

/// <summary>
/// The guide's compliance report as a stream: the activity feed of a period, a page at a time, written as CSV with the
/// guide's columns (Timestamp, Customer, User, Action, Resource, IP Address) straight to <c>output</c> and hashed as it
/// goes, so memory holds one page whatever the period. Cells a spreadsheet would run as formulas are prefixed.
/// </summary>
public sealed class ComplianceExporter(ActivityFeedReader feed)
{
    public const string Header = "Timestamp,Customer,User,Action,Resource,IP Address";

    public async Task<ComplianceExport> ExportAsync(string table, DateTimeOffset from, DateTimeOffset to, Stream output, ComplianceOptions options,
        Func<FeedProgress, Task>? progress, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long rows = 0, bytes = 0;
        var most = 0;
        async Task WriteAsync(string line)
        {
            var data = Encoding.UTF8.GetBytes(line + "\r\n");
            hash.AppendData(data);
            bytes += data.Length;
            await output.WriteAsync(data, cancellationToken);
        }

        await WriteAsync(Header);
        var read = await feed.ReadAsync(new FeedRead(table, null, [(from, to)], options.PageSize, options.MaxScannedItems), async page =>
        {
            most = Math.Max(most, page.Count);
            var text = new StringBuilder();
            foreach (var r in page)
                text.AppendJoin(',', new[] { r.Timestamp, r.CustomerId, r.UserId, r.Action, r.ResourceType, r.IpAddress }.Select(AuditCsv.Cell)).Append("\r\n");
            var data = Encoding.UTF8.GetBytes(text.ToString());
            hash.AppendData(data);
            bytes += data.Length;
            rows += page.Count;
            await output.WriteAsync(data, cancellationToken);
        }, progress, cancellationToken);
        await output.FlushAsync(cancellationToken);
        return new ComplianceExport(rows, Convert.ToHexStringLower(hash.GetHashAndReset()), bytes, read, most);
    }
}
