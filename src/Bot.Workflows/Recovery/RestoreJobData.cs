namespace Bot.Workflows.Recovery;

/// <summary>Why a restore job runs: a restore the team asked for, or a DR drill (measured, its tables deleted after).</summary>
public enum RestorePurpose { Restore, Drill }

/// <summary>Where one table's restore stands.</summary>
public enum RestoreStepStatus { Pending, Restoring, Verified, Failed }

/// <summary>One table of a restore job: what it restores into, and what happened, when (the drill's measurements).</summary>
public sealed class RestoreStep
{
    public string Source { get; set; } = "";
    public string Target { get; set; } = "";
    /// <summary>The point in time asked for; null: the latest restorable time (a drill).</summary>
    public DateTimeOffset? RestoreTo { get; set; }
    public RecoveryObjective? Objective { get; set; }

    public RestoreStepStatus Status { get; set; } = RestoreStepStatus.Pending;
    /// <summary>True once the bot's own restore request made the target (only such tables are ever deleted).</summary>
    public bool Created { get; set; }
    public DateTimeOffset? LatestRestorableAtStart { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? ActiveAt { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public long? SourceItems { get; set; }
    public long? CopyItems { get; set; }
    /// <summary>The verification, one finding a line ("key schema matches", "1 index missing: …").</summary>
    public List<string> Checks { get; set; } = [];
    public bool Mismatch { get; set; }
    public string? Error { get; set; }

    public bool Done => Status is RestoreStepStatus.Verified or RestoreStepStatus.Failed;

    /// <summary>The drill's RTO: from the restore request to a verified copy.</summary>
    public TimeSpan? Rto => VerifiedAt is { } v && StartedAt is { } s ? v - s : null;

    /// <summary>The drill's RPO: how far the latest restorable time was behind the moment of the restore (the data a disaster then would lose).</summary>
    public TimeSpan? Rpo => LatestRestorableAtStart is { } latest && StartedAt is { } s ? s - latest : null;
}

/// <summary>A restore job's data: who and what for, its tables, how often it looks, and when it gives up.</summary>
public sealed class RestoreJobData
{
    public RestorePurpose Purpose { get; set; }
    public string Environment { get; set; } = "";
    /// <summary>The change that approved it (null: a staging drill, which needs none).</summary>
    public string? ChangeId { get; set; }
    public string Channel { get; set; } = "";
    public string RequesterId { get; set; } = "";
    public string RequesterName { get; set; } = "";
    public bool Rehearsal { get; set; }
    /// <summary>Turn point-in-time recovery on for the copy once it is verified (a restore the team will use).</summary>
    public bool EnablePitrOnCopy { get; set; }
    public List<RestoreStep> Steps { get; set; } = [];
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset GiveUpAt { get; set; }
    public int Polls { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Finding { get; set; }
}
