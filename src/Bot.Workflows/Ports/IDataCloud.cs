namespace Bot.Workflows.Ports;

/// <summary>A DynamoDB table as a restore is verified against it (DescribeTable).</summary>
public sealed record TableFacts(
    string Name,
    string Status,
    long ItemCount,
    long SizeBytes,
    string BillingMode,
    IReadOnlyList<string> KeySchema,
    IReadOnlyList<string> Indexes,
    string Sse,
    bool RestoreInProgress,
    DateTimeOffset? CreatedAt = null);

/// <summary>Point-in-time recovery of a table: on or off, and the window a restore may name.</summary>
public sealed record RestoreWindow(bool Enabled, DateTimeOffset? Earliest, DateTimeOffset? Latest)
{
    public bool Contains(DateTimeOffset at) => Enabled && Earliest is { } from && Latest is { } to && at >= from && at <= to;
}

/// <summary>
/// What restores and DR drills need of the cloud (DynamoDB's point-in-time recovery): read a table and its restore
/// window, start a restore into a new table, turn point-in-time recovery on for a copy, delete a copy. Failures come
/// back as <see cref="PortException"/>.
/// </summary>
public interface ITableRecovery
{
    /// <summary>The table, or null when it does not exist (never made, or gone: a restore that failed).</summary>
    Task<TableFacts?> DescribeTableAsync(string table, CancellationToken cancellationToken);

    Task<RestoreWindow> GetRestoreWindowAsync(string table, CancellationToken cancellationToken);

    /// <summary>Restores <paramref name="source"/> at <paramref name="at"/> (null: its latest restorable time) into the new table <paramref name="target"/>.</summary>
    Task StartRestoreAsync(string source, string target, DateTimeOffset? at, CancellationToken cancellationToken);

    Task EnablePointInTimeRecoveryAsync(string table, CancellationToken cancellationToken);

    Task DeleteTableAsync(string table, CancellationToken cancellationToken);
}

/// <summary>One version of an object in a reports bucket, or a delete marker.</summary>
public sealed record ObjectVersionFacts(string Key, string VersionId, bool IsLatest, bool IsDeleteMarker, DateTimeOffset LastModified, long Size, string? ETag = null);

/// <summary>What restoring a report needs: the versions of one key, and copying an older version over it (the guide's CopyObject).</summary>
public interface IReportObjects
{
    /// <summary>Every version and delete marker of exactly <paramref name="key"/>, newest first.</summary>
    Task<IReadOnlyList<ObjectVersionFacts>> VersionsOfAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>Copies <paramref name="versionId"/> onto the key; returns the id of the new current version.</summary>
    Task<string?> RestoreVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken);
}

/// <summary>An auto scaling target on a table or index dimension, with its target tracking utilisation (null: no such policy).</summary>
public sealed record AutoscaleSetting(string ResourceId, string Dimension, int Min, int Max, double? TargetUtilization);

/// <summary>A table's capacity: billing mode, throughput of the table and its indexes, auto scaling, and the last switch to on-demand.</summary>
public sealed record CapacityFacts(
    string Table,
    string BillingMode,
    long Read,
    long Write,
    IReadOnlyDictionary<string, (long Read, long Write)> Indexes,
    IReadOnlyList<AutoscaleSetting> Autoscaling,
    DateTimeOffset? LastSwitchToOnDemand)
{
    public bool OnDemand => BillingMode == "PAY_PER_REQUEST";
}

/// <summary>What a capacity change needs (DynamoDB UpdateTable and Application Auto Scaling).</summary>
public interface ITableCapacity
{
    Task<CapacityFacts> GetCapacityAsync(string table, CancellationToken cancellationToken);

    /// <summary>Provisioned mode with this throughput on the table and each of its indexes.</summary>
    Task SetProvisionedAsync(string table, long read, long write, IReadOnlyList<string> indexes, CancellationToken cancellationToken);

    Task SetOnDemandAsync(string table, CancellationToken cancellationToken);

    /// <summary>Registers the target and its target tracking policy (read or write utilisation).</summary>
    Task SetAutoscalingAsync(AutoscaleSetting setting, CancellationToken cancellationToken);

    Task RemoveAutoscalingAsync(string resourceId, string dimension, CancellationToken cancellationToken);
}

/// <summary>A user session's key and times (epoch seconds).</summary>
public sealed record SessionKey(string CustomerId, string SessionId, long CreatedAt, long ExpiresAt);

/// <summary>Sessions created before the cut-off found in one page of a scan, and where the next page starts (null: done).</summary>
public sealed record SessionPage(IReadOnlyList<SessionKey> Old, string? Cursor, int Scanned);

/// <summary>What the data clean-up needs: find sessions older than a cut-off, page by page, and delete each only if it still is.</summary>
public interface ISessionItems
{
    /// <summary>Reads up to <paramref name="limit"/> items from <paramref name="cursor"/> (null: the start) and returns those created before <paramref name="cutoff"/>.</summary>
    Task<SessionPage> ScanOlderThanAsync(string table, long cutoff, string? cursor, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes the session on condition that it exists and was created before <paramref name="cutoff"/>; false when the condition failed.</summary>
    Task<bool> DeleteIfOlderAsync(string table, SessionKey key, long cutoff, CancellationToken cancellationToken);

    /// <summary>TTL of the table: the attribute when TTL is on, else null.</summary>
    Task<string?> TimeToLiveAttributeAsync(string table, CancellationToken cancellationToken);
}
