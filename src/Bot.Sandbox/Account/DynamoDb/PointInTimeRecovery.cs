namespace Bot.Sandbox.Account.DynamoDb;

/// <summary>
/// A table's point-in-time recovery: off, or on since a moment with a recovery period of 1 to 35 days. The
/// restorable window runs from the later of "since" and "now minus the period" to five minutes ago, as DynamoDB's
/// LatestRestorableDateTime typically lags.
/// </summary>
internal sealed record PointInTimeRecovery(bool Enabled, DateTimeOffset? Since, int RecoveryPeriodInDays = PointInTimeRecovery.MaxDays)
{
    public const int MaxDays = 35;

    /// <summary>How far LatestRestorableDateTime lags behind now.</summary>
    public static readonly TimeSpan Lag = TimeSpan.FromMinutes(5);

    public static readonly PointInTimeRecovery Off = new(false, null);

    /// <summary>The restorable window at <paramref name="now"/>, or null when PITR is off.</summary>
    public (DateTimeOffset Earliest, DateTimeOffset Latest)? Window(DateTimeOffset now)
    {
        if (!Enabled || Since is not { } since) return null;
        var earliest = Max(since, now.AddDays(-RecoveryPeriodInDays));
        var latest = Max(earliest, now - Lag);
        return (Truncate(earliest), Truncate(latest));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>DynamoDB reports these times to the second.</summary>
    private static DateTimeOffset Truncate(DateTimeOffset t) => DateTimeOffset.FromUnixTimeSeconds(t.ToUnixTimeSeconds());
}

/// <summary>A table's time to live: the attribute holding the expiry (epoch seconds) and whether TTL deletes by it.</summary>
internal sealed record TimeToLive(bool Enabled, string? AttributeName, DateTimeOffset? LastChanged)
{
    public static readonly TimeToLive Off = new(false, null, null);

    /// <summary>DynamoDB refuses a second TTL change within an hour of the last one.</summary>
    public static readonly TimeSpan ChangeInterval = TimeSpan.FromHours(1);
}

/// <summary>Where a restored table came from (DescribeTable's <c>RestoreSummary</c>).</summary>
internal sealed record RestoreSource(string? SourceTableArn, string? SourceBackupArn, DateTimeOffset RestoreDateTime);
