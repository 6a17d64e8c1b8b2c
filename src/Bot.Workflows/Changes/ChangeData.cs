using Bot.Workflows.Engine;

namespace Bot.Workflows.Changes;

/// <summary>One approval: who, with which roles at that moment, when, and the digest of the change they saw.</summary>
public sealed record ApprovalRecord(string UserId, string Name, IReadOnlyList<string> Roles, DateTimeOffset At, string Digest);

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

    public string RequesterId { get; set; } = "";
    public string RequesterName { get; set; } = "";
    public ActorKind RequesterKind { get; set; } = ActorKind.Person;
    public string Reason { get; set; } = "";
    public ChangeCategory Category { get; set; } = ChangeCategory.Standard;
    public string Risk { get; set; } = "medium";
    public bool SecurityRelevant { get; set; }
    public string? IncidentId { get; set; }
    /// <summary>The command layer checked that <see cref="IncidentId"/> was an open incident when the change was requested.</summary>
    public bool IncidentVerifiedOpen { get; set; }
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
    /// <summary>Errors of the new version during verification above which it is rolled back (on top of the baseline).</summary>
    public long ErrorThreshold { get; set; } = 5;
    public TimeSpan RollbackWindow { get; set; } = TimeSpan.FromHours(24);

    public List<ApprovalRecord> Approvals { get; set; } = [];
    public string? DecidedById { get; set; }
    public string? DecidedByName { get; set; }
    public string? RejectReason { get; set; }

    public bool BreakGlass { get; set; }
    public bool Unreviewed { get; set; }
    public string? ReviewedBy { get; set; }
    public int ReviewReminders { get; set; }

    /// <summary>New values of secret keys, kept only until the change has run (never shown, never audited).</summary>
    public Dictionary<string, string> SealedValues { get; set; } = new(StringComparer.Ordinal);

    public string? Finding { get; set; }
    public long BaselineErrors { get; set; }
    public DateTimeOffset? AppliedAt { get; set; }
    public DateTimeOffset? VerifyUntil { get; set; }
    public long ErrorsSinceDeploy { get; set; }
    public int Checks { get; set; }
    public DateTimeOffset? RollbackUntil { get; set; }
    public string? RollbackReason { get; set; }
    public string? RolledBackBy { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>A rotation: the new version's id (the RotateSecret token), the stage last seen, and why it failed.</summary>
    public string? RotationVersionId { get; set; }
    public string? RotationStage { get; set; }
    public string? RotationFailure { get; set; }
    /// <summary>How often a rotation's stages are looked at, and how long it may take before it counts as failed.</summary>
    public TimeSpan RotationCheckEvery { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan RotationTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
