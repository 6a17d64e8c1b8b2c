using System.ComponentModel.DataAnnotations;
using Bot.Workflows.Changes;

namespace Bot.Commands.Changes;

/// <summary>One freeze window (UTC): <c>Changes__Freeze__N__From</c>, <c>__To</c>, <c>__Reason</c>.</summary>
public sealed class FreezeOptions
{
    public DateTimeOffset From { get; set; }
    public DateTimeOffset To { get; set; }
    public string Reason { get; set; } = "";
}

/// <summary>
/// Section <c>Changes</c>: how long a request waits for its approvals per category (the ops guide's Emergency 0–4 h,
/// Standard a day, Major a week), how a deploy is watched (a window of whole CloudWatch periods after the metrics'
/// publication lag, the fewest invocations that say anything, the alarms that roll back), how long the one-click
/// rollback stays, and the freeze windows.
/// </summary>
public sealed class ChangeOptions : IValidatableObject
{
    public const string Section = "Changes";

    public TimeSpan EmergencyExpiry { get; set; } = TimeSpan.FromHours(4);
    public TimeSpan StandardExpiry { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan MajorExpiry { get; set; } = TimeSpan.FromDays(7);
    /// <summary>How long the error rate through the alias is watched (whole CloudWatch periods; at least three).</summary>
    public TimeSpan VerifyWindow { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>
    /// The period of the metrics the watch reads: Lambda's are one minute in CloudWatch. The watch counts whole periods,
    /// at least three. Only an account that publishes faster (a test rig) may lower it; too short a period reads nothing,
    /// and a change that read nothing ends "not verified", never "Verified".
    /// </summary>
    public TimeSpan MetricPeriod { get; set; } = Change.LambdaMetricPeriod;
    /// <summary>How late CloudWatch publishes a minute of Lambda metrics: the watch waits this long past its window.</summary>
    public TimeSpan MetricLag { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Errors above those the pre-deploy error rate explains that roll a deploy back.</summary>
    public long ErrorThreshold { get; set; } = 5;
    /// <summary>Fewer invocations than this in the watch window and the change ends "not verified" (no evidence of health).</summary>
    public long MinInvocations { get; set; } = 10;
    /// <summary>CloudWatch alarms that roll a deploy back when they enter ALARM during its watch (CodeDeploy's model).</summary>
    public List<string> RollbackAlarms { get; set; } = [];
    /// <summary>How long after a deploy one click rolls it back to the approved previous version (while its version is live).</summary>
    public TimeSpan RollbackWindow { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Freeze windows: Standard and Major changes are refused during one; Emergency changes run and say so.</summary>
    public List<FreezeOptions> Freeze { get; set; } = [];
    /// <summary>The KMS key that wraps the data keys of secret values (else a key file beside the SQLite store).</summary>
    public string? SecretsKmsKeyId { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { ("EmergencyExpiry", EmergencyExpiry), ("StandardExpiry", StandardExpiry), ("MajorExpiry", MajorExpiry), ("VerifyWindow", VerifyWindow), ("VerifyInterval", VerifyInterval), ("RollbackWindow", RollbackWindow) })
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(30))
                yield return new ValidationResult($"Changes__{name} must be between a second and 30 days (was {value}).");
        }
        if (MetricPeriod < TimeSpan.FromSeconds(1) || MetricPeriod > TimeSpan.FromHours(1))
            yield return new ValidationResult($"Changes__MetricPeriod must be between a second and an hour (Lambda's metrics: one minute), not {MetricPeriod}.");
        else
        {
            var minimum = MetricPeriod * Change.MinWatchedPeriods;
            if (VerifyWindow < minimum)
                yield return new ValidationResult($"Changes__VerifyWindow must be at least {Words(minimum)} (three whole CloudWatch periods of {Words(MetricPeriod)}; the watch then waits Changes__MetricLag more for them to be published), not {VerifyWindow}.");
            if (VerifyWindow.Ticks % MetricPeriod.Ticks != 0)
                yield return new ValidationResult($"Changes__VerifyWindow must be whole periods of {Words(MetricPeriod)} (Changes__MetricPeriod), not {VerifyWindow}.");
        }
        if (VerifyInterval > VerifyWindow) yield return new ValidationResult("Changes__VerifyInterval must not be longer than Changes__VerifyWindow.");
        if (MetricLag < TimeSpan.Zero || MetricLag > TimeSpan.FromMinutes(15)) yield return new ValidationResult($"Changes__MetricLag must be between 0 and 15 minutes (was {MetricLag}).");
        if (ErrorThreshold < 0) yield return new ValidationResult("Changes__ErrorThreshold must be 0 or more.");
        if (MinInvocations < 1) yield return new ValidationResult("Changes__MinInvocations must be 1 or more: a window with no invocations says nothing about health.");
        foreach (var (alarm, i) in RollbackAlarms.Select((a, i) => (a, i)).Where(x => string.IsNullOrWhiteSpace(x.a) || x.a.Length > 255))
            yield return new ValidationResult($"Changes__RollbackAlarms__{i} must name a CloudWatch alarm (1–255 characters).");
        for (var i = 0; i < Freeze.Count; i++)
        {
            var f = Freeze[i];
            if (f.To <= f.From) yield return new ValidationResult($"Changes__Freeze__{i}: To ({f.To:u}) must be after From ({f.From:u}).");
            if (string.IsNullOrWhiteSpace(f.Reason)) yield return new ValidationResult($"Changes__Freeze__{i}__Reason is required: a refused change says why.");
        }
    }

    private static string Words(TimeSpan span) => span.TotalSeconds < 60 ? $"{span.TotalSeconds:0} seconds" : span.TotalMinutes == 1 ? "one minute" : $"{span.TotalMinutes:0.#} minutes";

    public TimeSpan ExpiryOf(ChangeCategory category) => category switch
    {
        ChangeCategory.Emergency => EmergencyExpiry,
        ChangeCategory.Major => MajorExpiry,
        _ => StandardExpiry,
    };

    /// <summary>The freeze windows, as the domain checks them.</summary>
    public FreezeCalendar FreezeCalendar() => new(Freeze.Select(f => new FreezeWindow(f.From.ToUniversalTime(), f.To.ToUniversalTime(), f.Reason.Trim())).ToList());
}
