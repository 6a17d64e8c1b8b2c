using Bot.Workflows.Activities;
using Bot.Workflows.Storage;

namespace Bot.Workflows.Engine;

/// <summary>
/// A trigger to fire on one aggregate. Build it with <see cref="For{TTrigger}"/> so the trigger is one of the
/// aggregate's own (no typo is found only at run time). <see cref="IdempotencyKey"/> is the outside id it arrived
/// with (a button click's user + <c>action_ts</c>, a PagerDuty webhook id): a key seen before returns the earlier
/// outcome instead of acting again. <see cref="CardVersion"/> is the version of the card a button sat on: when the
/// aggregate has moved on since, nothing happens and the clicker is told the state now.
/// </summary>
public sealed record WorkflowTrigger(string AggregateType, string AggregateId, string Trigger, WorkflowActor Actor)
{
    public static WorkflowTrigger For<TTrigger>(string aggregateType, string aggregateId, TTrigger trigger, WorkflowActor actor)
        where TTrigger : struct, Enum => new(aggregateType, aggregateId, trigger.ToString(), actor);

    public TriggerSource Source { get; init; } = TriggerSource.Person;
    public string? IdempotencyKey { get; init; }
    public string? RequestId { get; init; }
    /// <summary>What the trigger expects (e.g. <c>level:2</c>); guards compare it with the current data.</summary>
    public string? Expectation { get; init; }
    public string? ArgumentsJson { get; init; }
    /// <summary>The version of the card the button sat on; null when the trigger did not come from a card.</summary>
    public long? CardVersion { get; init; }
    /// <summary>The durable timer this trigger comes from; it is removed with the transition (or by the timer pump when nothing changed).</summary>
    public TimerRecord? FromTimer { get; init; }
    /// <summary>The result of the activity this trigger reports.</summary>
    public ActivityOutcome? Activity { get; init; }
    /// <summary>The work item this trigger finishes (the activity it reports); completed in the same write.</summary>
    public string? CompletesWork { get; init; }
    /// <summary>The claim that holds <see cref="CompletesWork"/>: the write is fenced by it (a holder whose lease passed on records nothing).</summary>
    public LeaseHold? CompletesWorkLease { get; init; }
}
