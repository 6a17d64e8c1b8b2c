namespace Bot.Testing.Workflows;

/// <summary>
/// Holds the first caller (or the caller a test picks) at a point until the test opens it: a run paused mid-way, as a
/// process paused by the OS, a call waiting out a 429, or a slow network would leave it. Later callers pass.
/// </summary>
public sealed class Gate
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _taken;

    /// <summary>Completes when the held caller has arrived.</summary>
    public Task Reached => _reached.Task;

    /// <summary>The first call waits here until <see cref="Open"/>; later calls pass at once.</summary>
    public Task PassAsync()
    {
        if (Interlocked.Exchange(ref _taken, 1) == 1) return Task.CompletedTask;
        _reached.TrySetResult();
        return _opened.Task;
    }

    /// <summary>The same, for a synchronous hook (it blocks its thread).</summary>
    public void Pass() => PassAsync().GetAwaiter().GetResult();

    public void Open() => _opened.TrySetResult();

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> (real time) passed; returns whether it held.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(10);
        }
        return true;
    }
}
