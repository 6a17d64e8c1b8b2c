using Bot.Workflows.Storage;

namespace Bot.Workflows.Engine;

/// <summary>What a trigger did inside the machine (nothing is saved yet).</summary>
public sealed record TransitionResult(bool Fired, string Before, string After, IReadOnlyList<string> Refusals)
{
    public static TransitionResult Refused(string state, IReadOnlyList<string> reasons) => new(false, state, state, reasons);
}

/// <summary>
/// The engine's view of an aggregate with a state machine inside. Implement it by deriving from
/// <see cref="WorkflowAggregate{TState,TTrigger,TData}"/>.
/// </summary>
public interface IWorkflow
{
    string AggregateType { get; }
    string Id { get; }
    string State { get; }
    /// <summary>The stored version this instance was loaded from (0 for a new aggregate).</summary>
    long Version { get; }

    /// <summary>Rebuilds state and data from a stored record.</summary>
    void Restore(AggregateRecord record);

    /// <summary>The record to store after a transition: new state, data, and <see cref="Version"/> + 1.</summary>
    AggregateRecord ToRecord(DateTimeOffset now);

    /// <summary>Runs the creation step (messages and timers of the initial state).</summary>
    void Create(FireContext context);

    /// <summary>Fires <paramref name="trigger"/> if permitted; otherwise says why not (guard descriptions).</summary>
    TransitionResult Fire(string trigger, FireContext context);

    /// <summary>The effects recorded since the last call, and forgets them.</summary>
    WorkflowEffects TakeEffects();

    /// <summary>The machine as a Mermaid state diagram.</summary>
    string Describe();
}
