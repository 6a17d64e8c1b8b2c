namespace Bot.Workflows.Recovery;

public enum RestoreJobState { Starting, Restoring, CleaningUp, Completed, Failed }

public enum RestoreJobTrigger
{
    /// <summary>The restores were requested (activity result).</summary>
    Started,
    StartFailed,
    /// <summary>The timer: time to look at the restores again.</summary>
    Poll,
    /// <summary>A look at the restores (activity result).</summary>
    Polled,
    PollFailed,
    /// <summary>The drill tables were deleted (activity result).</summary>
    CleanedUp,
    CleanupFailed,
}
