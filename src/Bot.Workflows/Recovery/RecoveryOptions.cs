using System.ComponentModel.DataAnnotations;

namespace Bot.Workflows.Recovery;

/// <summary>
/// Section <c>Recovery</c>: the procedures' recovery objectives per tier (<c>Recovery__Objectives__&lt;tier&gt;__Rto/Rpo</c>;
/// critical RTO 1 h and RPO 1 h, standard 4 h and 24 h, non-critical 24 h and 24 h), which tier each table is
/// (<c>Recovery__Tiers__&lt;table suffix&gt;</c>; sessions and the activity feed critical, invites and reports standard),
/// how often a restore is looked at, how long the bot waits for one, and the clean-up's default rate.
/// </summary>
public sealed class RecoveryOptions : IValidatableObject
{
    public const string Section = "Recovery";
    public const string Critical = "critical";
    public const string Standard = "standard";
    public const string NonCritical = "non-critical";

    public Dictionary<string, ObjectiveOptions> Objectives { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Tier by table suffix (<c>user-sessions</c>) or full name; tables not named are standard.</summary>
    public Dictionary<string, string> Tiers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a restore may take before the bot stops waiting (and a drill cleans up and reports it).</summary>
    public TimeSpan MaxRestoreWait { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Sessions deleted a second by a clean-up unless <c>--rate</c> says otherwise.</summary>
    public int CleanupRate { get; set; } = 100;

    public static readonly IReadOnlyDictionary<string, (TimeSpan Rto, TimeSpan Rpo)> DefaultObjectives = new Dictionary<string, (TimeSpan, TimeSpan)>(StringComparer.OrdinalIgnoreCase)
    {
        [Critical] = (TimeSpan.FromHours(1), TimeSpan.FromHours(1)),
        [Standard] = (TimeSpan.FromHours(4), TimeSpan.FromHours(24)),
        [NonCritical] = (TimeSpan.FromHours(24), TimeSpan.FromHours(24)),
    };

    public static readonly IReadOnlyDictionary<string, string> DefaultTiers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["user-sessions"] = Critical,
        ["activity-feed"] = Critical,
        ["user-invites"] = Standard,
        ["reports"] = Standard,
    };

    /// <summary>The tier of <paramref name="table"/> in <paramref name="environment"/>, and its objectives.</summary>
    public RecoveryObjective ObjectiveOf(string environment, string table)
    {
        var suffix = table.StartsWith($"securebase-{environment}-", StringComparison.OrdinalIgnoreCase) ? table[$"securebase-{environment}-".Length..] : table;
        var tier = Tiers.GetValueOrDefault(table) ?? Tiers.GetValueOrDefault(suffix) ?? DefaultTiers.GetValueOrDefault(suffix) ?? Standard;
        var (rto, rpo) = DefaultObjectives.GetValueOrDefault(tier, DefaultObjectives[Standard]);
        if (Objectives.TryGetValue(tier, out var configured))
        {
            rto = configured.Rto ?? rto;
            rpo = configured.Rpo ?? rpo;
        }
        return new RecoveryObjective(tier.ToLowerInvariant(), rto, rpo);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (tier, o) in Objectives)
        {
            if (o.Rto is { } rto && (rto <= TimeSpan.Zero || rto > TimeSpan.FromDays(30))) yield return new ValidationResult($"Recovery__Objectives__{tier}__Rto must be between a second and 30 days.");
            if (o.Rpo is { } rpo && (rpo <= TimeSpan.Zero || rpo > TimeSpan.FromDays(30))) yield return new ValidationResult($"Recovery__Objectives__{tier}__Rpo must be between a second and 30 days.");
        }
        if (PollInterval < TimeSpan.FromSeconds(1) || PollInterval > TimeSpan.FromMinutes(10)) yield return new ValidationResult("Recovery__PollInterval must be between a second and 10 minutes.");
        if (MaxRestoreWait < PollInterval || MaxRestoreWait > TimeSpan.FromDays(7)) yield return new ValidationResult("Recovery__MaxRestoreWait must be at least the poll interval and at most 7 days.");
        if (CleanupRate is < 1 or > 10_000) yield return new ValidationResult("Recovery__CleanupRate must be between 1 and 10,000 a second.");
    }
}

/// <summary>One tier's objectives; either may be left to the default.</summary>
public sealed class ObjectiveOptions
{
    public TimeSpan? Rto { get; set; }
    public TimeSpan? Rpo { get; set; }
}
