using System.Collections.Concurrent;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Webhooks;

namespace Bot.Testing.PagerDuty;

/// <summary>An <see cref="IPagerDutyEventSink"/> that keeps what it is handed, and can be told to fail the next calls.</summary>
public sealed class RecordingEventSink : IPagerDutyEventSink, IDisposable
{
    private readonly ConcurrentQueue<PagerDutyWebhookEvent> _events = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private int _failures;

    public IReadOnlyList<PagerDutyWebhookEvent> Events => _events.ToArray();

    /// <summary>The next <paramref name="count"/> calls throw (as a sink whose store is down would).</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failures, count);

    /// <summary>Runs as each event arrives, before it is handled (e.g. to hold one under way, or to throw).</summary>
    public Func<PagerDutyWebhookEvent, Task>? BeforeHandle { get; set; }

    public async Task HandleAsync(PagerDutyWebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        if (BeforeHandle is { } before) await before(webhookEvent);
        if (Interlocked.Decrement(ref _failures) >= 0) throw new InvalidOperationException("sink unavailable");
        _events.Enqueue(webhookEvent);
        _arrived.Release();
    }

    public void Dispose() => _arrived.Dispose();

    /// <summary>Waits until at least <paramref name="count"/> events were handled.</summary>
    public async Task<IReadOnlyList<PagerDutyWebhookEvent>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (_events.Count < count)
        {
            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Expected {count} PagerDuty event(s), the sink has {_events.Count}.");
            }
        }
        return Events;
    }
}
