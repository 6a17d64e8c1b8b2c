namespace Bot.Workflows.Ports;

/// <summary>
/// Where an alias points now, and the revision an update must match. <see cref="Weights"/> is its weighted routing
/// (Lambda's <c>AdditionalVersionWeights</c>: another version and the share of traffic it gets), empty when the alias
/// sends everything to <see cref="Version"/>.
/// </summary>
public sealed record AliasState(string Function, string Alias, string Version, string RevisionId)
{
    private static readonly IReadOnlyDictionary<string, double> NoWeights = new Dictionary<string, double>();

    public IReadOnlyDictionary<string, double> Weights { get; init; } = NoWeights;

    /// <summary>Every version the alias sends traffic to.</summary>
    public IEnumerable<string> RoutedVersions => Weights.Where(w => w.Value > 0).Select(w => w.Key).Prepend(Version).Distinct();
}

/// <summary>Invocations and errors counted over whole metric periods.</summary>
public sealed record InvocationCounts(long Invocations, long Errors)
{
    public static readonly InvocationCounts None = new(0, 0);

    /// <summary>Errors per invocation, 0 without invocations.</summary>
    public double ErrorRate => Invocations == 0 ? 0 : (double)Errors / Invocations;
}

/// <summary>A published version: its code hash (what runs) and its description (the release it names).</summary>
public sealed record VersionInfo(string Function, string Version, string CodeSha256, string? Description);

/// <summary>A function's settings that changes touch, with the revision an update must match.</summary>
public sealed record FunctionSettings(
    string Function,
    string RevisionId,
    int MemoryMb,
    int TimeoutSeconds,
    IReadOnlyDictionary<string, string> Environment,
    string CodeSha256);

/// <summary>New settings: null leaves a setting as it is; <see cref="Environment"/> is the whole new map.</summary>
public sealed record SettingsUpdate(int? MemoryMb = null, int? TimeoutSeconds = null, IReadOnlyDictionary<string, string>? Environment = null);

/// <summary>
/// The cloud capability changes need (AWS Lambda and CloudWatch implement it). Writes are conditional on the revision
/// the caller read, so a change never lands on top of one it did not see; failures come back as
/// <see cref="PortException"/> (codes such as <c>PreconditionFailed</c>, <c>ResourceNotFound</c>, <c>AccessDenied</c>,
/// <c>Throttling</c>).
/// </summary>
public interface ICloud
{
    /// <summary>True when this is the rehearsal (sandbox) account, where shell users may approve.</summary>
    bool IsRehearsal { get; }

    Task<AliasState> GetAliasAsync(string function, string alias, CancellationToken cancellationToken);

    /// <summary>
    /// Points <paramref name="alias"/> at <paramref name="toVersion"/> alone (any weighted routing is cleared explicitly) if
    /// it is still at <paramref name="expectedRevisionId"/>; otherwise fails with <c>PreconditionFailed</c>.
    /// </summary>
    Task<AliasState> MoveAliasAsync(string function, string alias, string toVersion, string expectedRevisionId, CancellationToken cancellationToken);

    Task<VersionInfo> GetVersionAsync(string function, string version, CancellationToken cancellationToken);

    /// <summary>The published versions, newest first.</summary>
    Task<IReadOnlyList<VersionInfo>> ListVersionsAsync(string function, CancellationToken cancellationToken);

    Task<FunctionSettings> GetSettingsAsync(string function, CancellationToken cancellationToken);

    /// <summary>Changes settings if the function is still at <paramref name="expectedRevisionId"/>, and waits until the update has settled.</summary>
    Task<FunctionSettings> UpdateSettingsAsync(string function, SettingsUpdate update, string expectedRevisionId, CancellationToken cancellationToken);

    /// <summary>Reserved concurrency, or null when none is reserved.</summary>
    Task<int?> GetReservedConcurrencyAsync(string function, CancellationToken cancellationToken);

    /// <summary>Reserves <paramref name="value"/> executions, or removes the reservation when null.</summary>
    Task SetReservedConcurrencyAsync(string function, int? value, CancellationToken cancellationToken);

    /// <summary>Provisioned concurrency requested on an alias, or null when none is configured.</summary>
    Task<int?> GetProvisionedConcurrencyAsync(string function, string alias, CancellationToken cancellationToken);

    /// <summary>Sets provisioned concurrency on an alias, or removes it when null.</summary>
    Task SetProvisionedConcurrencyAsync(string function, string alias, int? value, CancellationToken cancellationToken);

    /// <summary>
    /// Invocations and errors of the function in the whole one-minute periods between two moments: all of them (no
    /// alias), those through <paramref name="alias"/> whatever version ran, or those through it that ran
    /// <paramref name="executedVersion"/>.
    /// </summary>
    Task<InvocationCounts> CountInvocationsAsync(string function, string? alias, string? executedVersion, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Of <paramref name="alarmNames"/>, those in ALARM that entered it at or after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<string>> AlarmsEnteredAsync(IReadOnlyList<string> alarmNames, DateTimeOffset since, CancellationToken cancellationToken);
}
