using System.ComponentModel.DataAnnotations;

namespace Bot.Commands.Changes;

/// <summary>
/// Section <c>Changes</c>: how long a request waits for its approvals per category (the ops guide's Emergency 0–4 h,
/// Standard a day, Major a week), how a deploy is watched, and how long the one-click rollback stays.
/// </summary>
public sealed class ChangeOptions : IValidatableObject
{
    public const string Section = "Changes";

    public TimeSpan EmergencyExpiry { get; set; } = TimeSpan.FromHours(4);
    public TimeSpan StandardExpiry { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan MajorExpiry { get; set; } = TimeSpan.FromDays(7);
    /// <summary>How long the errors of a deployed version are watched before the change completes.</summary>
    public TimeSpan VerifyWindow { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Errors of the new version above its pre-deploy rate that roll it back.</summary>
    public long ErrorThreshold { get; set; } = 5;
    /// <summary>How long after a deploy one click rolls it back to the approved previous version.</summary>
    public TimeSpan RollbackWindow { get; set; } = TimeSpan.FromHours(24);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { ("EmergencyExpiry", EmergencyExpiry), ("StandardExpiry", StandardExpiry), ("MajorExpiry", MajorExpiry), ("VerifyWindow", VerifyWindow), ("VerifyInterval", VerifyInterval), ("RollbackWindow", RollbackWindow) })
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(30))
                yield return new ValidationResult($"Changes__{name} must be between a second and 30 days (was {value}).");
        }
        if (VerifyInterval > VerifyWindow) yield return new ValidationResult("Changes__VerifyInterval must not be longer than Changes__VerifyWindow.");
        if (ErrorThreshold < 0) yield return new ValidationResult("Changes__ErrorThreshold must be 0 or more.");
    }

    public TimeSpan ExpiryOf(Bot.Workflows.Changes.ChangeCategory category) => category switch
    {
        Bot.Workflows.Changes.ChangeCategory.Emergency => EmergencyExpiry,
        Bot.Workflows.Changes.ChangeCategory.Major => MajorExpiry,
        _ => StandardExpiry,
    };
}
