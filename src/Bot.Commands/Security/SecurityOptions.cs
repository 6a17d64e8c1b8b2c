using System.ComponentModel.DataAnnotations;
using Bot.Workflows.Roles;

namespace Bot.Commands.Security;

/// <summary>The procedures' credential rotation schedule: system keys every 60 days; warn at 60 days, critical at 80.</summary>
public sealed class CredentialOptions
{
    public int WarnDays { get; set; } = 60;
    public int CriticalDays { get; set; } = 80;
}

/// <summary>
/// The failed-login view: <see cref="PageAbove"/> failed logins in one hour offer <i>Page</i>; <see cref="BurstPerAddress"/>
/// from one address in one hour is suspicious activity; a Scan (a feed without an index on <c>action</c>) reads
/// <see cref="PageSize"/> items a page and stops after <see cref="MaxScannedItems"/>.
/// </summary>
public sealed class FailedLoginOptions
{
    public int PageAbove { get; set; } = 50;
    public int BurstPerAddress { get; set; } = 20;
    /// <summary>The PagerDuty service the <i>Page</i> button pages (<c>PagerDuty__RoutingKeys__&lt;service&gt;</c>).</summary>
    public string PageService { get; set; } = "securebase-prod-api";
    public int PageSize { get; set; } = 500;
    public int MaxScannedItems { get; set; } = 50_000;
}

/// <summary>How a rotation is followed: a look every <see cref="CheckEvery"/>, failed after <see cref="Timeout"/>.</summary>
public sealed class RotationOptions
{
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>The compliance export: rows read a page at a time, at most <see cref="MaxScannedItems"/>; <c>--to-s3</c> goes to <see cref="Bucket"/>.</summary>
public sealed class ComplianceOptions
{
    public string Bucket { get; set; } = "securebase-audit-exports";
    public string Prefix { get; set; } = "activity-feed/";
    public int PageSize { get; set; } = 500;
    public int MaxScannedItems { get; set; } = 2_000_000;
    /// <summary>How long an export to S3 is followed before the answer says to look again later.</summary>
    public TimeSpan FollowExportFor { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan ExportCheckEvery { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Section <c>Security</c> (validated on start): the credential schedule (<c>Security__Credentials__WarnDays</c>,
/// <c>__CriticalDays</c>), the failed-login thresholds (<c>Security__FailedLogins__PageAbove</c> …), the CloudTrail log group
/// the daily checks read (<c>Security__CloudTrailLogGroup</c>; none: CloudTrail is not checked), who besides <c>security</c>
/// and <c>admin</c> may open the read-only views (<c>Security__ViewRoles__N</c>, e.g. <c>approver</c>), rotations and the
/// compliance export.
/// </summary>
public sealed class SecurityOptions : IValidatableObject
{
    public const string Section = "Security";

    /// <summary>Who runs the security commands: the secrets, access and compliance commands, and rotations.</summary>
    public static readonly IReadOnlyList<string> Owners = [Role.Security, Role.Admin];

    public CredentialOptions Credentials { get; set; } = new();
    public FailedLoginOptions FailedLogins { get; set; } = new();
    public RotationOptions Rotation { get; set; } = new();
    public ComplianceOptions Compliance { get; set; } = new();
    public string? CloudTrailLogGroup { get; set; }
    /// <summary>Roles that may also open the read-only security views (secrets, logins, checks, access review).</summary>
    public List<string> ViewRoles { get; set; } = [];

    /// <summary>Who may open a read-only security view.</summary>
    public IReadOnlyList<string> Viewers => [.. Owners, .. ViewRoles.Where(r => !Owners.Contains(r))];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Credentials.WarnDays < 1 || Credentials.CriticalDays <= Credentials.WarnDays || Credentials.CriticalDays > 3650)
            yield return new ValidationResult("Security__Credentials__WarnDays must be at least 1 and Security__Credentials__CriticalDays above it (at most 3650).");
        if (FailedLogins.PageAbove < 1) yield return new ValidationResult("Security__FailedLogins__PageAbove must be at least 1.");
        if (FailedLogins.BurstPerAddress < 2) yield return new ValidationResult("Security__FailedLogins__BurstPerAddress must be at least 2.");
        if (string.IsNullOrWhiteSpace(FailedLogins.PageService)) yield return new ValidationResult("Security__FailedLogins__PageService must name a PagerDuty service.");
        foreach (var (name, size, max) in new[] { ("FailedLogins", FailedLogins.PageSize, FailedLogins.MaxScannedItems), ("Compliance", Compliance.PageSize, Compliance.MaxScannedItems) })
        {
            if (size is < 1 or > 1000) yield return new ValidationResult($"Security__{name}__PageSize must be between 1 and 1000.");
            if (max < size) yield return new ValidationResult($"Security__{name}__MaxScannedItems must be at least Security__{name}__PageSize.");
        }
        if (Rotation.CheckEvery <= TimeSpan.Zero || Rotation.Timeout < Rotation.CheckEvery || Rotation.Timeout > TimeSpan.FromHours(24))
            yield return new ValidationResult("Security__Rotation__CheckEvery must be above zero and Security__Rotation__Timeout at least that, at most 24 hours.");
        if (Compliance.ExportCheckEvery <= TimeSpan.Zero || Compliance.FollowExportFor < Compliance.ExportCheckEvery)
            yield return new ValidationResult("Security__Compliance__ExportCheckEvery must be above zero and Security__Compliance__FollowExportFor at least that.");
        if (string.IsNullOrWhiteSpace(Compliance.Bucket)) yield return new ValidationResult("Security__Compliance__Bucket must name the S3 bucket exports go to.");
        if (CloudTrailLogGroup is { Length: > 512 }) yield return new ValidationResult("Security__CloudTrailLogGroup is a log group name of at most 512 characters.");
        foreach (var role in ViewRoles.Where(r => !Role.IsKnown(r)))
            yield return new ValidationResult($"Security__ViewRoles: '{role}' is not a role; the roles are {string.Join(", ", Role.All)}.");
    }
}
