using Bot.Workflows.Storage;

namespace Bot.Workflows.Engine;

/// <summary>
/// A trigger to fire on one aggregate. <see cref="IdempotencyKey"/> is the outside id it arrived with
/// (Slack <c>event_id</c>, a button click's action id + ts, a PagerDuty webhook id): a key seen before
/// returns the earlier outcome instead of acting again.
/// </summary>
public sealed record WorkflowTrigger(string AggregateType, string AggregateId, string Trigger, WorkflowActor Actor)
{
    public string? IdempotencyKey { get; init; }
    public string? RequestId { get; init; }
    /// <summary>What the trigger expects (e.g. <c>level:2</c>); guards compare it with the current data.</summary>
    public string? Expectation { get; init; }
    public string? ArgumentsJson { get; init; }
    /// <summary>The durable timer this trigger comes from; it is removed with the transition.</summary>
    public TimerRecord? FromTimer { get; init; }
}
