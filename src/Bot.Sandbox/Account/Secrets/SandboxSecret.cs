using System.Collections.Immutable;

namespace Bot.Sandbox.Account.Secrets;

/// <summary>One version of a secret: its id, when it was made, its staging labels and its value.</summary>
public sealed record SecretVersion(string VersionId, DateTimeOffset Created, ImmutableList<string> Stages, string Value)
{
    public const string Current = "AWSCURRENT";
    public const string Previous = "AWSPREVIOUS";
    public const string Pending = "AWSPENDING";
}

/// <summary>
/// A rotation under way: the new version's id, when RotateSecret started it, how long a step takes and whether it
/// fails at <c>testSecret</c>. Step n (1 createSecret, 2 setSecret, 3 testSecret, 4 finishSecret) ends at
/// <see cref="Start"/> + n × <see cref="Step"/>.
/// </summary>
public sealed record RotationRun(string VersionId, DateTimeOffset Start, TimeSpan Step, bool FailsAtTest)
{
    public DateTimeOffset EndOf(int step) => Start + Step * step;

    /// <summary>When the rotation is over: after finishSecret, or after testSecret when it fails there.</summary>
    public DateTimeOffset End => EndOf(FailsAtTest ? 3 : 4);
}

/// <summary>
/// A secret as Secrets Manager describes it. Immutable: the store replaces it when a rotation moves on, a stage
/// moves or the value is read.
/// </summary>
public sealed record SandboxSecret(
    string Name,
    string Arn,
    string Environment,
    string Description,
    string? KmsKeyId,
    DateTimeOffset Created,
    string? RotationLambdaArn,
    int? RotationDays,
    string? ScheduleExpression,
    DateTimeOffset? LastRotated,
    DateTimeOffset LastChanged,
    DateTimeOffset? LastAccessed,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    ImmutableList<SecretVersion> Versions,
    RotationRun? Rotation)
{
    internal SecretProfile Profile { get; init; } = null!;

    /// <summary>Null when rotation was never configured (DescribeSecret then leaves RotationEnabled out).</summary>
    public bool? RotationEnabled => RotationLambdaArn is null ? null : true;

    public SecretVersion? WithStage(string stage) => Versions.FirstOrDefault(v => v.Stages.Contains(stage));

    /// <summary>
    /// Whether an earlier rotation is unfinished: one is running, or AWSPENDING sits on a version that is not
    /// AWSCURRENT (what a failed rotation leaves behind), which makes RotateSecret refuse.
    /// </summary>
    public bool RotationIncomplete => Rotation is not null || WithStage(SecretVersion.Pending) is { } p && !p.Stages.Contains(SecretVersion.Current);

    /// <summary>The days between rotations: AutomaticallyAfterDays, or the days of a <c>rate(N days)</c> schedule.</summary>
    public int? IntervalDays => RotationDays ?? (ScheduleExpression is { } s && s.StartsWith("rate(", StringComparison.Ordinal)
        ? int.Parse(s.AsSpan(5, s.IndexOf(' ') - 5), System.Globalization.CultureInfo.InvariantCulture) : null);

    /// <summary>The end of the UTC day on which the next scheduled rotation is due, when rotation is on.</summary>
    public DateTimeOffset? NextRotation => RotationEnabled == true && IntervalDays is { } days
        ? new DateTimeOffset((LastRotated ?? Created).UtcDateTime.Date.AddDays(days + 1).AddSeconds(-1), TimeSpan.Zero)
        : null;
}
