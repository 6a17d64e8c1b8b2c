using Bot.Testing;
using System.Collections.Concurrent;
using Bot.Workflows.Activities;
using Bot.Workflows.Ports;

namespace Bot.Testing.Workflows;

/// <summary>
/// The outside world of the sample's activity, for engine tests: which titles were applied and how many times the
/// "provider" was called. A test can make the next calls fail, or die right after the call took effect.
/// </summary>
public sealed class SampleWorld
{
    public ConcurrentDictionary<string, string> Applied { get; } = new(StringComparer.Ordinal);
    private int _calls;
    public int Calls => _calls;
    public ConcurrentQueue<Exception> Failures { get; } = new();
    /// <summary>Thrown after the call took effect, as if the process died before it could save the result.</summary>
    public Exception? DieAfterApplying { get; set; }
    /// <summary>Someone else changed the world: applying this request is no longer what the approval meant.</summary>
    public ConcurrentDictionary<string, string> Tampered { get; } = new(StringComparer.Ordinal);

    public int CountCall() => Interlocked.Increment(ref _calls);

    /// <summary>Runs when the live world is looked at, before the call (e.g. to pause a runner there).</summary>
    public Func<Task>? BeforeCheck { get; set; }

    /// <summary>Runs when the call starts, before it takes effect (e.g. a call held up by throttling).</summary>
    public Func<Task>? BeforeCall { get; set; }
}

/// <summary>Applies a sample request's title in the <see cref="SampleWorld"/>, checking the live world first.</summary>
public sealed class ApplyTitleHandler(SampleWorld world) : ActivityHandler<ApplyTitle>
{
    protected override async Task<LiveCheck> CheckAsync(ApplyTitle activity, CancellationToken cancellationToken)
    {
        if (world.BeforeCheck is { } before) await before();
        if (world.Tampered.TryGetValue(activity.RequestId, out var other))
            return LiveCheck.Differs("Changed", $"someone else set it to {other}");
        return world.Applied.TryGetValue(activity.RequestId, out var title) && title == activity.Title
            ? LiveCheck.Done($"{activity.Title} was already applied")
            : LiveCheck.Go;
    }

    protected override async Task<ActivityResult> RunAsync(ApplyTitle activity, CancellationToken cancellationToken)
    {
        if (world.BeforeCall is { } before) await before();
        world.CountCall();
        if (world.Failures.TryDequeue(out var failure)) throw failure;
        world.Applied[activity.RequestId] = activity.Title;
        if (world.DieAfterApplying is { } death)
        {
            world.DieAfterApplying = null;
            throw death;
        }
        return new ActivityResult($"{activity.Title} is live");
    }
}
