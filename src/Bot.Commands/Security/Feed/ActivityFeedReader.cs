using System.Globalization;
using Bot.Integrations.Aws.DynamoDb;

namespace Bot.Commands.Security.Feed;

/// <summary>One row of SecureBase's activity feed (<c>securebase-&lt;env&gt;-activity-feed</c>), as the guide's report reads it.</summary>
public sealed record FeedRow(string Timestamp, string CustomerId, string UserId, string Action, string ResourceType, string IpAddress)
{
    public static FeedRow From(IReadOnlyDictionary<string, string> item) => new(
        item.GetValueOrDefault("timestamp", ""), item.GetValueOrDefault("customer_id", ""), item.GetValueOrDefault("user_id", ""),
        item.GetValueOrDefault("action", ""), item.GetValueOrDefault("resource_type", ""), item.GetValueOrDefault("ip_address", ""));

    /// <summary>The row's time, when its timestamp is ISO 8601.</summary>
    public DateTimeOffset? At => DateTimeOffset.TryParse(Timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}

/// <summary>What to read: rows of the feed between moments (each range inclusive), of one action or of every action.</summary>
public sealed record FeedRead(string Table, string? Action, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Ranges, int PageSize, int MaxScanned);

/// <summary>How far a read has come: items read so far, of about how many (the table's item count, for a Scan).</summary>
public sealed record FeedProgress(long Scanned, long ApproximateTotal, int Pages);

/// <summary>How a read went: by Query on an index or by Scan, what it read, and whether it stopped at its cap.</summary>
public sealed record FeedReadResult(string Method, string? Index, long Scanned, long Returned, int Pages, bool Capped, long ApproximateTotal)
{
    public bool UsedIndex => Index is not null;
}

/// <summary>
/// Reads the activity feed a page at a time and hands each page on before reading the next, so a caller never holds more
/// than a page. With an action and an index whose partition key is <c>action</c> (the feed's <c>ActionIndex</c>) it Queries
/// that index on the time ranges; otherwise it Scans with a filter, reading at most <see cref="FeedRead.MaxScanned"/>
/// items (never a whole table without a limit) and saying when it stopped there. <c>action</c> and <c>timestamp</c> are
/// DynamoDB reserved words, so they are always placeholders.
/// </summary>
public sealed class ActivityFeedReader(IDynamoDbItems items)
{
    public const string QueryMethod = "Query";
    public const string ScanMethod = "Scan";

    public async Task<FeedReadResult> ReadAsync(FeedRead read, Func<IReadOnlyList<FeedRow>, Task> onPage, Func<FeedProgress, Task>? progress, CancellationToken cancellationToken)
    {
        var keys = await items.DescribeKeysAsync(read.Table, cancellationToken);
        var index = read.Action is null ? null : keys.IndexOn("action");
        return index is { SortKey: "timestamp" }
            ? await QueryAsync(read, index.Name, keys.ItemCount, onPage, cancellationToken)
            : await ScanAsync(read, keys.ItemCount, onPage, progress, cancellationToken);
    }

    private async Task<FeedReadResult> QueryAsync(FeedRead read, string index, long total, Func<IReadOnlyList<FeedRow>, Task> onPage, CancellationToken cancellationToken)
    {
        long scanned = 0, returned = 0;
        var pages = 0;
        foreach (var (from, to) in read.Ranges)
        {
            PageKey? next = null;
            do
            {
                var page = await items.QueryAsync(new ItemRead
                {
                    Table = read.Table,
                    Index = index,
                    KeyCondition = "#a = :a AND #t BETWEEN :from AND :to",
                    Names = new Dictionary<string, string> { ["#a"] = "action", ["#t"] = "timestamp" },
                    Values = new Dictionary<string, string> { [":a"] = read.Action!, [":from"] = Iso(from), [":to"] = Iso(to) },
                    Limit = read.PageSize,
                    StartKey = next,
                }, cancellationToken);
                pages++;
                scanned += page.Scanned;
                returned += page.Items.Count;
                await onPage(page.Items.Select(FeedRow.From).ToList());
                next = page.NextKey;
                if (scanned >= read.MaxScanned && next is not null) return new FeedReadResult(QueryMethod, index, scanned, returned, pages, Capped: true, total);
            } while (next is not null);
        }
        return new FeedReadResult(QueryMethod, index, scanned, returned, pages, Capped: false, total);
    }

    private async Task<FeedReadResult> ScanAsync(FeedRead read, long total, Func<IReadOnlyList<FeedRow>, Task> onPage, Func<FeedProgress, Task>? progress, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string> { ["#t"] = "timestamp" };
        var values = new Dictionary<string, string>();
        var ranges = new List<string>();
        for (var i = 0; i < read.Ranges.Count; i++)
        {
            ranges.Add($"#t BETWEEN :from{i} AND :to{i}");
            values[$":from{i}"] = Iso(read.Ranges[i].From);
            values[$":to{i}"] = Iso(read.Ranges[i].To);
        }
        var filter = "(" + string.Join(" OR ", ranges) + ")";
        if (read.Action is not null)
        {
            names["#a"] = "action";
            values[":a"] = read.Action;
            filter += " AND #a = :a";
        }

        long scanned = 0, returned = 0;
        var pages = 0;
        PageKey? next = null;
        do
        {
            var limit = (int)Math.Min(read.PageSize, read.MaxScanned - scanned);
            var page = await items.ScanAsync(new ItemRead { Table = read.Table, Filter = filter, Names = names, Values = values, Limit = limit, StartKey = next }, cancellationToken);
            pages++;
            scanned += page.Scanned;
            returned += page.Items.Count;
            await onPage(page.Items.Select(FeedRow.From).ToList());
            next = page.NextKey;
            if (progress is not null) await progress(new FeedProgress(scanned, total, pages));
        } while (next is not null && scanned < read.MaxScanned);
        return new FeedReadResult(ScanMethod, null, scanned, returned, pages, Capped: next is not null, total);
    }

    /// <summary>The feed's timestamps: ISO 8601 UTC with milliseconds, which sort as text.</summary>
    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
