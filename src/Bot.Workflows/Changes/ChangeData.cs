using Bot.Workflows.Changes.Sealing;
using Bot.Workflows.Engine;

namespace Bot.Workflows.Changes;

/// <summary>
/// One approval: who, with which roles (at the click, then as re-read before the change runs), when, the digest of the
/// change they saw, and what they wrote with it.
/// </summary>
public sealed record ApprovalRecord(string UserId, string Name, IReadOnlyList<string> Roles, DateTimeOffset At, string Digest)
{
    public string? Comment { get; init; }
    /// <summary>Roles held at the click that the approver no longer held when the roles were read again before running.</summary>
    public IReadOnlyList<string> LostRoles { get; init; } = [];
}

/// <summary>Who holds a role, as configured (<c>Rbac__Roles__&lt;role&gt;__Users__N</c> / <c>__Groups__N</c>): whom the card asks.</summary>
public sealed class RoleContacts
{
    public List<string> Users { get; set; } = [];
    public List<string> Groups { get; set; } = [];
}

/// <summary>The ops guide's change request template, when the change came from the <c>/sb change new</c> form.</summary>
public sealed class ChangeTemplate
{
    public string Title { get; set; } = "";
    public string Priority { get; set; } = "";
    public string Description { get; set; } = "";
    public string BusinessJustification { get; set; } = "";
    public string TechnicalDetails { get; set; } = "";
    public string Impact { get; set; } = "";
    public string Mitigation { get; set; } = "";
    public string TestingPlan { get; set; } = "";
    public string RollbackPlan { get; set; } = "";
}

/// <summary>A change's data: what it does (fixed at the request), who asked and why, approvals, and how it went.</summary>
public sealed class ChangeData
{
    public ChangeSpec Spec { get; set; } = new();
    /// <summary>The digest of <see cref="Spec"/> taken at the request; approvals and execution check against it.</summary>
    public string Digest { get; set; } = "";
    public string Channel { get; set; } = "";
    /// <summary>The request (Slack delivery, shell line) that asked for the change: the same request arriving again is not a second change.</summary>
    public string? RequestId { get; set; }

    public string RequesterId { get; set; } = "";
    public string RequesterName { get; set; } = "";
    public ActorKind RequesterKind { get; set; } = ActorKind.Person;
    public string Reason { get; set; } = "";
    public ChangeCategory Category { get; set; } = ChangeCategory.Standard;
    public string Risk { get; set; } = "medium";
    public bool SecurityRelevant { get; set; }
    public string? IncidentId { get; set; }
    /// <summary>
    /// The command layer checked that <see cref="IncidentId"/> was an open incident when the change was requested (which
    /// offers the break-glass button; the click checks the incident with the pager again).
    /// </summary>
    public bool IncidentVerifiedOpen { get; set; }
    /// <summary>When the requester asked to break the glass and the pager is being asked about the incident (null: not now).</summary>
    public DateTimeOffset? BreakGlassCheckSince { get; set; }
    /// <summary>What the pager said about the incident when the glass was broken, or why it was refused the last time.</summary>
    public string? IncidentFinding { get; set; }
    /// <summary>Whom the card asks, by role (the approver groups above all); filled at the request from the role configuration.</summary>
    public Dictionary<string, RoleContacts> Contacts { get; set; } = new(StringComparer.Ordinal);
    /// <summary>The freeze window the change was requested in (an Emergency change may run in one, and says so).</summary>
    public string? FreezeNote { get; set; }
    public ChangeTemplate? Template { get; set; }
    /// <summary>The account is the rehearsal (sandbox) account: shell users may approve.</summary>
    public bool Rehearsal { get; set; }
    /// <summary>What the staging check found (prod deploys), e.g. "staging runs the same code (v12)".</summary>
    public string? StagingNote { get; set; }
    /// <summary>Staging's function whose PROD alias must run the same code before a prod deploy (null: no check).</summary>
    public string? StagingFunction { get; set; }

    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public TimeSpan VerifyWindow { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Errors during verification above which it is rolled back, on top of those the pre-deploy error rate explains.</summary>
    public long ErrorThreshold { get; set; } = 5;
    public TimeSpan RollbackWindow { get; set; } = TimeSpan.FromHours(24);
    /// <summary>The period of the metrics the watch reads (Lambda's: a minute); it counts whole ones, at least three.</summary>
    public TimeSpan MetricPeriod { get; set; } = Change.LambdaMetricPeriod;
    /// <summary>How late the error metrics are published: the watch reads only periods at least this old.</summary>
    public TimeSpan MetricLag { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Fewer invocations than this in the watch window is no evidence of health: the change ends not verified.</summary>
    public long MinInvocations { get; set; } = 10;
    /// <summary>CloudWatch alarms that roll the change back when they enter ALARM during the watch.</summary>
    public List<string> RollbackAlarms { get; set; } = [];

    public List<ApprovalRecord> Approvals { get; set; } = [];
    public string? DecidedById { get; set; }
    public string? DecidedByName { get; set; }
    public string? RejectReason { get; set; }

    public int ApproverReminders { get; set; }

    public bool BreakGlass { get; set; }
    public bool Unreviewed { get; set; }
    public string? ReviewedBy { get; set; }
    public int ReviewReminders { get; set; }
    public DateTimeOffset? BrokeGlassAt { get; set; }
    /// <summary>When the unreviewed break-glass change was escalated to the ops managers (after a day).</summary>
    public DateTimeOffset? ReviewEscalatedAt { get; set; }

    /// <summary>New values of secret keys, encrypted, kept only until the change ends (never shown, logged or audited).</summary>
    public SealedValues? Sealed { get; set; }

    public string? Finding { get; set; }
    public long BaselineErrors { get; set; }
    public long BaselineInvocations { get; set; }
    public DateTimeOffset? AppliedAt { get; set; }
    public DateTimeOffset? VerifyUntil { get; set; }
    public long ErrorsSinceDeploy { get; set; }
    public long InvocationsSinceDeploy { get; set; }
    public int Checks { get; set; }
    /// <summary>Why the watch could not call the change healthy (the state <c>NotVerified</c>).</summary>
    public string? NotVerifiedReason { get; set; }
    public DateTimeOffset? RollbackUntil { get; set; }
    public string? RollbackReason { get; set; }
    public string? RolledBackBy { get; set; }
    /// <summary>The state a rollback by hand started from (a click on a completed deploy goes back there when the alias moved on).</summary>
    public ChangeState? RollbackStartedFrom { get; set; }
    /// <summary>The later change that moved the alias on, which closed this one's one-click rollback.</summary>
    public string? SupersededBy { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>A rotation: the new version's id (the RotateSecret token), the stage last seen, and why it failed.</summary>
    public string? RotationVersionId { get; set; }
    public string? RotationStage { get; set; }
    public string? RotationFailure { get; set; }
    /// <summary>How often a rotation's stages are looked at, and how long it may take before it counts as failed.</summary>
    public TimeSpan RotationCheckEvery { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan RotationTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
