using Bot.Workflows.Idempotency;

namespace Bot.Workflows.Engine;

/// <summary>
/// A trigger's idempotency key was claimed before but no outcome was recorded (<see cref="FireOutcome.InDoubt"/>): the first
/// attempt is still under way, or it died between the claim and its commit (a store error, a refusal to save, a stop). The work
/// is not done and not failed: whoever delivers it tries again later, without counting an attempt, and once the claim is
/// abandoned (<see cref="AbandonedAfter"/>) the trigger is applied then.
/// </summary>
public sealed class OutcomeInDoubtException(string message) : Exception(message)
{
    /// <summary>When a claim without an outcome counts as abandoned, and may be taken again.</summary>
    public static TimeSpan AbandonedAfter => IdempotencyClaim.AbandonedAfter;
}
