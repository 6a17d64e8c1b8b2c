namespace Bot.Workflows.Recovery;

public enum CleanupState { Running, Paused, Completed, Cancelled, Failed }

public enum CleanupTrigger
{
    /// <summary>The timer: time for the next batch (paced to the rate).</summary>
    Tick,
    /// <summary>A batch was deleted (activity result).</summary>
    BatchDone,
    BatchFailed,
    Pause,
    Resume,
    /// <summary>Stop for good; what was deleted stays deleted.</summary>
    Cancel,
}

/// <summary>A session clean-up's data: the approved plan, where the scan stands (its cursor), and what it did so far.</summary>
public sealed class CleanupJobData
{
    public SessionCleanupPlan Plan { get; set; } = new("", "", 30, 0, 0, 0, null, 100, null);
    public string? ChangeId { get; set; }
    public string Channel { get; set; } = "";
    public string RequesterId { get; set; } = "";
    public string RequesterName { get; set; } = "";
    public bool Rehearsal { get; set; }
    /// <summary>Where the next batch's scan starts (DynamoDB's LastEvaluatedKey as JSON); null before the first and after the last.</summary>
    public string? Cursor { get; set; }
    public bool ScanFinished { get; set; }
    public bool BatchInFlight { get; set; }
    public long Deleted { get; set; }
    /// <summary>Sessions whose condition no longer held at the delete (gone already, or not older than the cut-off): kept.</summary>
    public long Skipped { get; set; }
    public long Scanned { get; set; }
    public int Batches { get; set; }
    public int ProgressLines { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? LastProgressAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? StoppedBy { get; set; }
    public string? Finding { get; set; }
}
