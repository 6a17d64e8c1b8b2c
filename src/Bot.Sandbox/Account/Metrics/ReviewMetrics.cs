using Bot.Sandbox.Account.DynamoDb;

namespace Bot.Sandbox.Account.Metrics;

/// <summary>
/// The metrics the reviews read beyond the minute model's: per-index DynamoDB capacity (<c>TableName</c> +
/// <c>GlobalSecondaryIndexName</c>; <c>ResourceTypeIndex</c> is never read), the reports buckets' daily storage metrics
/// (<c>AWS/S3</c> BucketSizeBytes with <c>StorageType=StandardStorage</c>, NumberOfObjects with <c>AllStorageTypes</c>, for
/// <c>securebase-&lt;env&gt;-reports-&lt;account&gt;</c>), and the capacity job's daily custom metrics
/// (<c>SecureBase/Capacity</c> TableItemCount and TableSizeBytes by <c>TableName</c>), whose last value is what DescribeTable
/// says and which grow over the history. Daily metrics have one datapoint at 00:00 UTC of each complete day.
/// </summary>
internal static class ReviewMetrics
{
    /// <summary>When the prod-only ResourceTypeIndex was added (days before the account was made); no data before.</summary>
    public const int ResourceTypeIndexAgeDays = 75;

    public static (Func<long, Sample> PerMinute, Func<long, Sample>? PerHour, string Unit)? Resolve(
        SandboxAccount account, string ns, string name, IReadOnlyDictionary<string, string> dims)
    {
        if (ns == "AWS/DynamoDB" && dims.Count == 2 && dims.TryGetValue("GlobalSecondaryIndexName", out var indexName) &&
            dims.TryGetValue("TableName", out var tableName) && account.Table(tableName) is { } table &&
            TableIndexes.Of(table).FirstOrDefault(i => i.Name == indexName) is { } index)
        {
            var readShare = TableIndexes.IsUnread(index) ? 0 : table.Profile.Suffix == SecureBaseCatalog.ActivityFeed ? 0.03 : 0.25;
            var since = index.Name == TableIndexes.ResourceTypeIndex ? MetricModel.MinuteOf(account.Created.AddDays(-ResourceTypeIndexAgeDays)) : long.MinValue;
            Func<long, Sample>? minute = name switch
            {
                "ConsumedReadCapacityUnits" => m => m < since ? Sample.None : Sample.Counter(Math.Round(account.Metrics.Table(table, m).ReadCapacity * readShare, 1)),
                "ConsumedWriteCapacityUnits" => m => m < since ? Sample.None : Sample.Counter(account.Metrics.Table(table, m).WriteCapacity),
                _ => null,
            };
            Func<long, Sample>? hour = name switch
            {
                "ConsumedReadCapacityUnits" => h => h * 60 < since ? Sample.None : HistoryMetrics.Gauge(Math.Round(account.History.Table(table, h).Read * readShare, 1)),
                _ => h => h * 60 < since ? Sample.None : HistoryMetrics.Gauge(account.History.Table(table, h).Write),
            };
            return minute is null ? null : (minute, hour, "Count");
        }
        if (ns == "AWS/S3" && dims.Count == 2 && dims.TryGetValue("BucketName", out var bucket) && dims.TryGetValue("StorageType", out var storage))
        {
            var env = account.Environments.FirstOrDefault(e => bucket == $"securebase-{e}-reports-{account.Options.AccountId}");
            if (env is null) return null;
            var scale = SecureBaseCatalog.Scale(env);
            return (name, storage) switch
            {
                ("BucketSizeBytes", "StandardStorage") => (Daily(account, d => 48.2e9 * scale * Math.Exp(0.005 * d)), null, "Bytes"),
                ("NumberOfObjects", "AllStorageTypes") => (Daily(account, d => Math.Round(312_400 * scale * Math.Exp(0.005 * d))), null, "Count"),
                _ => null,
            };
        }
        if (ns == "SecureBase/Capacity" && dims.Count == 1 && dims.TryGetValue("TableName", out var capacityTable) && account.Table(capacityTable) is { } t)
        {
            var growth = t.Profile.Suffix switch
            {
                SecureBaseCatalog.UserSessions => 0.003,
                SecureBaseCatalog.UserInvites => 0.0015,
                SecureBaseCatalog.ActivityFeed => 0.004,
                _ => 0.005,
            };
            // What DescribeTable says now (the feed's count is what its window holds), counted once per request.
            var current = new Lazy<(long Count, long Bytes)>(() => account.DynamoDb.Find(t.Name) is { } state
                ? (state.ItemCount(account.Time.GetUtcNow()), state.SizeBytes(account.Time.GetUtcNow())) : (t.ItemCount, t.SizeBytes));
            (long Count, long Bytes) Now() => current.Value;
            return name switch
            {
                "TableItemCount" => (Daily(account, d => Math.Round(Now().Count * Math.Exp(growth * d))), null, "Count"),
                "TableSizeBytes" => (Daily(account, d => Math.Round(Now().Bytes * Math.Exp(growth * d))), null, "Bytes"),
                _ => null,
            };
        }
        return null;
    }

    /// <summary>A daily metric: one datapoint at each day's first minute, for complete days; <paramref name="value"/> takes days relative to the account's creation (negative: before).</summary>
    private static Func<long, Sample> Daily(SandboxAccount account, Func<double, double> value)
    {
        var createdDay = MetricModel.MinuteOf(account.Created) / 1440;
        return m => m % 1440 != 0 ? Sample.None : Sample.Counter(Math.Round(value(m / 1440 - createdDay), 0));
    }
}
