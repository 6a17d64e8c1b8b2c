namespace Bot.Sandbox;

/// <summary>
/// How long the sandbox's backup, restore and capacity operations take, on the account's clock (configuration
/// section <c>Sandbox:Recovery</c>, e.g. <c>Sandbox__Recovery__RestoreDuration=00:00:05</c>). With a FakeTimeProvider,
/// advance the clock past them.
/// </summary>
public sealed class RecoveryOptions
{
    /// <summary>How long a restored table stays <c>CREATING</c> before it is <c>ACTIVE</c> (plus <see cref="RestoreDurationPerGiB"/>).</summary>
    public TimeSpan RestoreDuration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Extra restore time per GiB of the source table, so bigger tables take longer (activity-feed, 1.7 GB in prod, about 17 s more).</summary>
    public TimeSpan RestoreDurationPerGiB { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many restores may run at once in the account; one more gets LimitExceededException (AWS allows 50).</summary>
    public int ConcurrentRestoreLimit { get; set; } = 50;

    /// <summary>How long a deleted table stays <c>DELETING</c> before DescribeTable answers ResourceNotFoundException.</summary>
    public TimeSpan TableDeletionDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long UpdateTable leaves a table <c>UPDATING</c> (a billing mode or capacity change).</summary>
    public TimeSpan TableUpdateDuration { get; set; } = TimeSpan.Zero;

    /// <summary>How long an on-demand backup stays <c>CREATING</c> before it is <c>AVAILABLE</c>.</summary>
    public TimeSpan BackupCreationDuration { get; set; } = TimeSpan.Zero;

    /// <summary>TTL deletes an expired item at a time drawn within this delay after it expires (AWS: "within a few days").</summary>
    public TimeSpan TtlDeletionDelay { get; set; } = TimeSpan.FromHours(48);

    /// <summary>
    /// How often a table may switch from provisioned to on-demand in a rolling 24 hours (AWS today: 4; it used to be 1).
    /// Switching to provisioned is not limited.
    /// </summary>
    public int PayPerRequestSwitchesPerDay { get; set; } = 4;

    /// <summary>How long ExportTableToPointInTime stays <c>IN_PROGRESS</c> before it is <c>COMPLETED</c> and its files are in S3.</summary>
    public TimeSpan ExportDuration { get; set; } = TimeSpan.FromSeconds(10);
}
