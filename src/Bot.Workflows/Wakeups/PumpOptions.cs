namespace Bot.Workflows.Wakeups;

/// <summary>
/// Configuration section <c>Workers</c>: how the background pumps (outbox, timers, activities, webhook inboxes)
/// look for work. They wake on their own process's commits and on the next due time; <see cref="IdlePoll"/> is the
/// slow look for what other instances left behind (work whose holder died, once its lease ran out).
/// </summary>
public sealed class PumpOptions
{
    public const string Section = "Workers";

    /// <summary>How often an idle pump looks at the store anyway (default 30 s).</summary>
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a claimed outbox message is held before another sender may take it (default 60 s).</summary>
    public TimeSpan? OutboxLease { get; set; }

    /// <summary>How long a claimed timer is held before another instance may fire it (default 60 s).</summary>
    public TimeSpan? TimerLease { get; set; }

    /// <summary>How long a claimed activity is held before another instance may run it (default 5 minutes; longer than any one attempt).</summary>
    public TimeSpan? ActivityLease { get; set; }

    /// <summary>How long a claimed webhook event (the PagerDuty inbox) is held before another instance may handle it (default 2 minutes).</summary>
    public TimeSpan? InboxLease { get; set; }
}
