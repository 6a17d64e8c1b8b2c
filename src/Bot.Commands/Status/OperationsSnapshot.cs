using Bot.Workflows.Storage;

namespace Bot.Commands.Status;

/// <summary>What the bot's store says about the work in it, read at <see cref="At"/> (for <c>/sb status</c>, metrics and readiness).</summary>
public sealed record OperationsSnapshot
{
    public required DateTimeOffset At { get; init; }
    /// <summary>The store's kind (<c>sqlite</c>, <c>dynamodb</c>) and where it is.</summary>
    public required string Store { get; init; }
    /// <summary>How long the store took to answer the snapshot's first read.</summary>
    public required TimeSpan StoreLatency { get; init; }
    public required int OutboxBacklog { get; init; }
    /// <summary>What was given up and waits for an admin (<c>/sb deadletters</c>), by kind.</summary>
    public required DeadLetterCounts DeadLetters { get; init; }
    public required DueTimers TimersDue { get; init; }
    public required int ChangesPending { get; init; }
    public required int IncidentsOpen { get; init; }
    public required IReadOnlyList<InstanceRecord> Instances { get; init; }

    /// <summary>How late the oldest due timer is (zero when none is due): the store's lag behind the clock.</summary>
    public TimeSpan TimerLag => TimersDue.OldestDueAt is { } oldest && At > oldest ? At - oldest : TimeSpan.Zero;
}
