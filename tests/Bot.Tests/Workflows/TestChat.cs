using System.Collections.Concurrent;
using Bot.Workflows.Ports;

namespace Bot.Tests.Workflows;

/// <summary>An in-test chat: records what was posted/edited and can be scripted to fail.</summary>
public sealed class TestChat : IChat
{
    public sealed record Delivery(string Kind, string Channel, string Text, string? ThreadTs, string Ts);

    private readonly ConcurrentQueue<Exception> _failures = new();
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private long _ts = 1_700_000_000_000000;

    public IReadOnlyList<Delivery> Deliveries => _deliveries.ToList();
    private int _calls;
    public int Calls => _calls;

    /// <summary>The next calls fail with these, in order.</summary>
    public void FailNext(params Exception[] failures)
    {
        foreach (var f in failures) _failures.Enqueue(f);
    }

    public Func<Delivery, Task>? AfterPost { get; set; }

    public async Task<string> PostAsync(string channel, string text, string? blocksJson, string? threadTs, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (_failures.TryDequeue(out var failure)) throw failure;
        var ts = FormatTs(Interlocked.Increment(ref _ts));
        var delivery = new Delivery("post", channel, text, threadTs, ts);
        _deliveries.Enqueue(delivery);
        if (AfterPost is { } hook) await hook(delivery);
        return ts;
    }

    public Task UpdateAsync(string channel, string ts, string text, string? blocksJson, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (_failures.TryDequeue(out var failure)) throw failure;
        _deliveries.Enqueue(new Delivery("update", channel, text, null, ts));
        return Task.CompletedTask;
    }

    private static string FormatTs(long micros) => $"{micros / 1_000_000}.{micros % 1_000_000:D6}";
}
