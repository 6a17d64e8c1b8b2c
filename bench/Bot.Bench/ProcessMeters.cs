using System.Diagnostics;

namespace Bot.Bench;

/// <summary>This process's CPU time.</summary>
public static class ProcessCpu
{
    public static TimeSpan Now()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}

/// <summary>What the runtime did besides running our code: JIT compilation, allocation and garbage collection.</summary>
public sealed record RuntimeWork(long Methods, TimeSpan Jit, long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan GcPause)
{
    public static RuntimeWork Now() => new(System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime(),
        GC.GetTotalAllocatedBytes(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    public static RuntimeWork operator -(RuntimeWork a, RuntimeWork b) =>
        new(a.Methods - b.Methods, a.Jit - b.Jit, a.Allocated - b.Allocated, a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.GcPause - b.GcPause);

    public RuntimeWork Subtract(RuntimeWork other) => this - other;

    public override string ToString() =>
        $"{Methods} methods JIT-compiled in {Jit.TotalMilliseconds:0} ms; {Allocated / 1e6:0} MB allocated, {Gen0}/{Gen1}/{Gen2} gen0/1/2 collections, {GcPause.TotalMilliseconds:0} ms paused";
}

/// <summary>Samples this process's working set every 20 ms until disposed.</summary>
public sealed class PeakWorkingSet : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peak;

    public PeakWorkingSet()
    {
        Before = Environment.WorkingSet;
        _peak = Before;
        _sampling = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var now = Environment.WorkingSet;
                if (now > Volatile.Read(ref _peak)) Volatile.Write(ref _peak, now);
                try { await Task.Delay(20, _stop.Token); }
                catch (OperationCanceledException) { }
            }
        });
    }

    public long Before { get; }
    public long Peak => Volatile.Read(ref _peak);

    public void Dispose()
    {
        _stop.Cancel();
        _sampling.Wait();
        _stop.Dispose();
    }
}
