using Bot.Workflows.Messages;
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

    /// <summary>The names of this kind of aggregate's triggers (a button is checked against them).</summary>
    IReadOnlyCollection<string> Triggers { get; }

    /// <summary>Rebuilds state and data from a stored record.</summary>
    void Restore(AggregateRecord record);

    /// <summary>The record to store after a transition: new state, data, and <see cref="Version"/> + 1.</summary>
    AggregateRecord ToRecord(DateTimeOffset now);

    /// <summary>Runs the creation step (messages, timers and activities of the initial state).</summary>
    void Create(FireContext context);

    /// <summary>Fires <paramref name="trigger"/> if permitted; otherwise says why not (guard descriptions).</summary>
    TransitionResult Fire(string trigger, FireContext context);

    /// <summary>The effects recorded since the last call, and forgets them.</summary>
    WorkflowEffects TakeEffects();

    /// <summary>
    /// The work queue its activities run in: a lane of their own, so one workflow's activities never wait behind another's
    /// (<see cref="Storage.WorkQueues.Activities"/> by default; incidents have theirs).
    /// </summary>
    string ActivityQueue { get; }

    /// <summary>Where the aggregate's card lives (null: it has none).</summary>
    string? CardChannel { get; }

    /// <summary>The outbox key of the card (its first post; edits and the timeline thread refer to it).</summary>
    string CardKey { get; }

    /// <summary>The card as it looks now (null: none); the engine stamps it with the version being saved.</summary>
    Card? RenderCard();

    /// <summary>The version the card on screen was rendered at: buttons carry it, and a click is outdated when it differs.</summary>
    long CardVersion { get; }

    /// <summary>
    /// Whether a click of <paramref name="trigger"/> is honoured from any version of the card: an intent (acknowledge,
    /// resolve) that means the same whatever the card showed. Every other button on an outdated card changes nothing.
    /// </summary>
    bool AcceptsFromAnyCard(string trigger);

    /// <summary>A hash of what the card on screen shows.</summary>
    string? CardHash { get; }

    /// <summary>Records that the card was (re)rendered at <paramref name="version"/> showing content with <paramref name="hash"/>.</summary>
    void CardShown(long version, string hash);

    /// <summary>Tells the aggregate where its card was posted (when it has been), so it can link to it.</summary>
    void AttachCardMessage(SentMessage? message);

    /// <summary>One sentence on where the aggregate stands and who moved it there, for a refused or outdated click.</summary>
    string DescribeNow();

    /// <summary>The machine as a Mermaid state diagram.</summary>
    string Describe();
}
