using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Bot.Workflows.Incidents;

namespace Bot.Commands.Incidents;

/// <summary>One configured level: <c>Escalation__Levels__N__Name</c>, <c>__Notify</c> (a Slack user or user group id), <c>__RespondWithin</c>.</summary>
public sealed class EscalationLevelOptions
{
    public string? Name { get; set; }
    public string? Notify { get; set; }
    public TimeSpan? RespondWithin { get; set; }
}

/// <summary>
/// Section <c>Escalation</c>: who runs the clock (<c>Escalation__Clock</c> = <c>bot</c> or <c>pagerduty</c>) and the levels
/// (<c>Escalation__Levels__N__…</c>, N from 0). Without levels the ops guide's path applies: DevOps engineer 15 min →
/// senior DevOps engineer 30 min → engineering manager 1 h → VP engineering 2 h. A configured level may give only some
/// fields (e.g. just <c>Notify</c>): the rest come from the default level at the same position, and the levels not
/// configured at all are the ops guide's — configuring only level 1 keeps all four. <c>Escalation__LevelCount</c> makes the
/// path shorter (or says how many of the configured levels count).
/// </summary>
public sealed partial class EscalationOptions : IValidatableObject
{
    public const string Section = "Escalation";

    public static readonly IReadOnlyList<EscalationLevel> OpsGuideLevels =
    [
        new("DevOps engineer", "", TimeSpan.FromMinutes(15)),
        new("Senior DevOps engineer", "", TimeSpan.FromMinutes(30)),
        new("Engineering manager", "", TimeSpan.FromHours(1)),
        new("VP engineering", "", TimeSpan.FromHours(2)),
    ];

    public EscalationClock Clock { get; set; } = EscalationClock.Bot;

    /// <summary>Empty: the ops guide's levels.</summary>
    public List<EscalationLevelOptions> Levels { get; set; } = [];

    /// <summary>How many levels the path has; null: the ops guide's four, or as many as are configured when more.</summary>
    public int? LevelCount { get; set; }

    /// <summary>The levels in force: each configured field, the ops guide's level at the same position for the rest.</summary>
    public IReadOnlyList<EscalationLevel> Resolved()
    {
        var count = LevelCount ?? Math.Max(Levels.Count, OpsGuideLevels.Count);
        return Enumerable.Range(0, Math.Max(0, count)).Select(i =>
        {
            var l = i < Levels.Count ? Levels[i] : new EscalationLevelOptions();
            var fallback = i < OpsGuideLevels.Count ? OpsGuideLevels[i] : null;
            return new EscalationLevel(
                string.IsNullOrWhiteSpace(l.Name) ? fallback?.Name ?? $"Level {i + 1}" : l.Name.Trim(),
                l.Notify?.Trim() ?? "",
                l.RespondWithin ?? fallback?.RespondWithin ?? TimeSpan.Zero);
        }).ToList();
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LevelCount is < 1 or > 20) yield return new ValidationResult("Escalation__LevelCount must be between 1 and 20.");
        var levels = Resolved();
        for (var i = 0; i < levels.Count; i++)
        {
            var level = levels[i];
            if (level.RespondWithin <= TimeSpan.Zero || level.RespondWithin > TimeSpan.FromDays(1))
                yield return new ValidationResult($"Escalation__Levels__{i}__RespondWithin must be a time span above zero and at most a day, e.g. 00:15:00.");
            if (level.Notify.Length > 0 && !SlackId().IsMatch(level.Notify))
                yield return new ValidationResult($"Escalation__Levels__{i}__Notify must be a Slack user id (U…/W…) or user group id (S…), not '{level.Notify}'.");
        }
        if (!Enum.IsDefined(Clock)) yield return new ValidationResult("Escalation__Clock must be bot or pagerduty.");
    }

    [GeneratedRegex("^[UWS][A-Z0-9]{2,30}$")]
    private static partial Regex SlackId();
}
