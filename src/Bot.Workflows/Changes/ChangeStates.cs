namespace Bot.Workflows.Changes;

public enum ChangeState
{
    PendingApproval,
    Approved,
    Executing,
    Verifying,
    RollingBack,
    Completed,
    /// <summary>The watch ended without evidence that the new state is healthy (errors unreadable, too few invocations, a rollback still failing).</summary>
    NotVerified,
    RolledBack,
    Failed,
    Rejected,
    Expired,
    Cancelled,
}

public enum ChangeTrigger
{
    /// <summary>A person approves (the last approval needed moves the change on).</summary>
    Approve,
    Reject,
    /// <summary>The requester withdraws the change.</summary>
    Cancel,
    /// <summary>The expiry timer.</summary>
    Expire,
    /// <summary>The bot runs a change that needs no approval (staging, dev).</summary>
    AutoApprove,
    /// <summary>The requester asks to run an Emergency change alone, naming an open incident (checked with the pager first).</summary>
    BreakGlass,
    /// <summary>The pager confirmed the incident qualifies for break-glass (activity result): the change runs alone.</summary>
    BreakGlassCleared,
    /// <summary>The incident does not qualify, or could not be read (activity result): nothing runs.</summary>
    BreakGlassRefused,
    /// <summary>The live state still matches what was approved (activity result).</summary>
    PreflightPassed,
    PreflightFailed,
    /// <summary>The change was applied (activity result).</summary>
    Applied,
    ApplyFailed,
    /// <summary>The verification timer: time to look at the errors again.</summary>
    Watch,
    /// <summary>The errors since the deploy were counted (activity result); the change compares them with its threshold.</summary>
    Checked,
    /// <summary>The errors could not be read this time (activity result).</summary>
    CheckFailed,
    /// <summary>A person rolls the deploy back to the approved previous version.</summary>
    RollBack,
    RolledBack,
    RollbackFailed,
    /// <summary>Someone with the approver role reviews a break-glass change afterwards.</summary>
    Review,
    /// <summary>The timer that reminds the channel of an unreviewed break-glass change.</summary>
    RemindReview,
    /// <summary>The timer that ends the one-click rollback window.</summary>
    CloseRollbackWindow,
    /// <summary>The timers that remind the approvers, at half the expiry and an hour before it.</summary>
    RemindApprovers,
    /// <summary>A later change moved the same alias: this change's one-click rollback is closed (fired by the bot).</summary>
    Superseded,
    /// <summary>The earlier changes of the same alias were told they are superseded (activity result; nothing to do).</summary>
    EarlierRollbacksClosed,
}

/// <summary>What a change does.</summary>
public enum ChangeKind
{
    /// <summary>Point an alias at another published version.</summary>
    Deploy,
    /// <summary>Point an alias back at an earlier version.</summary>
    Rollback,
    /// <summary>Reserved concurrency of the function.</summary>
    ReservedConcurrency,
    /// <summary>Provisioned concurrency on an alias.</summary>
    ProvisionedConcurrency,
    /// <summary>Environment variables, memory, timeout.</summary>
    Configuration,
    /// <summary>Restore a DynamoDB table to a point in time, into a new table.</summary>
    RestoreTable,
    /// <summary>Make an earlier version of a report the current one again.</summary>
    RestoreObject,
    /// <summary>Delete old user sessions.</summary>
    SessionCleanup,
    /// <summary>Billing mode, throughput and auto scaling of a table.</summary>
    Capacity,
    /// <summary>The quarterly DR test in production.</summary>
    DrDrill,
    /// <summary>Rotate a Secrets Manager secret with its rotation function (<c>RotateSecret</c>), then follow its stages.</summary>
    SecretRotation,
}

/// <summary>The ops guide's change categories.</summary>
public enum ChangeCategory { Standard, Emergency, Major }
