using Bot.Integrations.Aws.SecretsManager;

namespace Bot.Commands.Security.Secrets;

/// <summary>How a secret's age stands against the procedures' schedule.</summary>
public enum AgeLevel { Fresh, Warn, Critical }

/// <summary>
/// One secret measured against the credential rotation schedule: its value's age (since its last rotation, or since it
/// last changed when it never rotated), the level, and its rotation settings. Metadata only.
/// </summary>
public sealed record SecretAge(
    string Name,
    int AgeDays,
    AgeLevel Level,
    bool RotationConfigured,
    string? Schedule,
    DateTimeOffset? LastRotated,
    DateTimeOffset? LastChanged,
    DateTimeOffset? NextRotation,
    string? UnfinishedVersion)
{
    public static SecretAge Of(SecretDescription s, DateTimeOffset now, CredentialOptions schedule)
    {
        var since = s.LastRotatedDate ?? s.LastChangedDate ?? s.CreatedDate ?? now;
        var age = Math.Max(0, (int)Math.Floor((now - since).TotalDays));
        var level = age >= schedule.CriticalDays ? AgeLevel.Critical : age >= schedule.WarnDays ? AgeLevel.Warn : AgeLevel.Fresh;
        var rules = s.RotationRules;
        var every = rules?.ScheduleExpression is { Length: > 0 } expression ? expression
            : rules?.AutomaticallyAfterDays is { } days ? $"every {days} days" : null;
        return new SecretAge(s.Name ?? "?", age, level, s.RotationConfigured, every, s.LastRotatedDate, s.LastChangedDate, s.NextRotationDate, s.UnfinishedVersion);
    }

    /// <summary>Every secret of an environment, worst first, then by name.</summary>
    public static IReadOnlyList<SecretAge> All(IEnumerable<SecretDescription> secrets, DateTimeOffset now, CredentialOptions schedule) =>
        secrets.Select(s => Of(s, now, schedule)).OrderByDescending(a => a.Level).ThenBy(a => a.Name, StringComparer.Ordinal).ToList();
}
