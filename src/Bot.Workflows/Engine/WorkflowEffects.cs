using Bot.Workflows.Activities;
using Bot.Workflows.Messages;

namespace Bot.Workflows.Engine;

/// <summary>
/// A message the workflow wants sent once its transition is saved. <see cref="Key"/> names the message
/// so later ones can thread under it (<see cref="ThreadUnderKey"/>) or edit it in place (<see cref="UpdateKey"/>);
/// the key's chat <c>ts</c> is resolved when the message is sent.
/// </summary>
public sealed record OutboxDraft
{
    /// <summary>A channel id, or a user id for a direct message.</summary>
    public required string Channel { get; init; }
    public required ChatContent Content { get; init; }
    /// <summary>A unique name for this message (e.g. <c>change/42/card</c>); threads and edits refer to it.</summary>
    public string? Key { get; init; }
    /// <summary>Post in the thread of the message with this key.</summary>
    public string? ThreadUnderKey { get; init; }
    /// <summary>Instead of posting, edit the message with this key.</summary>
    public string? UpdateKey { get; init; }
    /// <summary>
    /// A new top-level post the channel must see before the posts already queued for it (a storm's digest: without it the
    /// channel hears of a storm only once the threads queued before it are out, half a minute later). Never for a thread line
    /// or an edit, which keep their order.
    /// </summary>
    public bool Urgent { get; init; }
}

/// <summary>A durable timer the workflow wants set: when due, <see cref="Trigger"/> fires with <see cref="Expectation"/>.</summary>
public sealed record TimerDraft(string Name, string Trigger, DateTimeOffset DueAt, string? Expectation);

/// <summary>An activity the workflow wants run after the save, with the triggers that report its result.</summary>
public sealed record ActivityDraft(string Name, Activity Activity, string OnSucceeded, string OnFailed);

/// <summary>Everything a transition asked for, collected by entry actions and saved in the same write as the state.</summary>
public sealed record WorkflowEffects(
    IReadOnlyList<OutboxDraft> Messages,
    IReadOnlyList<TimerDraft> TimersToSet,
    IReadOnlyList<string> TimersToCancel,
    IReadOnlyDictionary<string, string?> AuditDetails,
    IReadOnlyList<ActivityDraft> Activities)
{
    public static readonly WorkflowEffects None = new([], [], [], new Dictionary<string, string?>(), []);
}
