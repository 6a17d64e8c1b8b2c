using Bot.Testing;
using System.Collections.Concurrent;
using Bot.Workflows.Messages;
using Bot.Workflows.Ports;

namespace Bot.Testing.Workflows;

/// <summary>An in-test chat: records what was posted/edited and can be scripted to fail.</summary>
public sealed class TestChat : IChat
{
    public sealed record Delivery(string Kind, string Channel, string Text, string? ThreadTs, string Ts, ChatContent Content);

    private readonly ConcurrentQueue<Exception> _failures = new();
    private readonly ConcurrentQueue<Exception> _updateFailures = new();
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

    /// <summary>The next edits (<see cref="UpdateAsync"/>) fail with these, in order; posts are not affected.</summary>
    public void FailNextUpdates(params Exception[] failures)
    {
        foreach (var f in failures) _updateFailures.Enqueue(f);
    }

    public Func<Delivery, Task>? AfterPost { get; set; }

    /// <summary>Runs before each post and edit (e.g. to hold one in flight, as a 429's wait inside the client would).</summary>
    public Func<Task>? BeforeCall { get; set; }

    public async Task<string> PostAsync(string channel, ChatContent content, string? threadTs, CancellationToken cancellationToken)
    {
        if (BeforeCall is { } before) await before();
        Interlocked.Increment(ref _calls);
        if (_failures.TryDequeue(out var failure)) throw failure;
        var ts = FormatTs(Interlocked.Increment(ref _ts));
        var delivery = new Delivery("post", channel, content.ToPlainText(), threadTs, ts, content);
        _deliveries.Enqueue(delivery);
        if (AfterPost is { } hook) await hook(delivery);
        return ts;
    }

    public async Task UpdateAsync(string channel, string ts, ChatContent content, CancellationToken cancellationToken)
    {
        if (BeforeCall is { } before) await before();
        Interlocked.Increment(ref _calls);
        if (_updateFailures.TryDequeue(out var failure) || _failures.TryDequeue(out failure)) throw failure;
        _deliveries.Enqueue(new Delivery("update", channel, content.ToPlainText(), null, ts, content));
    }

    private static string FormatTs(long micros) => $"{micros / 1_000_000}.{micros % 1_000_000:D6}";
}
