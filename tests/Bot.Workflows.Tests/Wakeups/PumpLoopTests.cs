using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using System.Threading.Channels;
using Bot.Workflows.Wakeups;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Workflows.Tests.Wakeups;

/// <summary>
/// When a pump looks at the store: at once after a signal, at the next due time it knows of, and otherwise only once
/// per idle poll. Rounds are recorded with the (fake) time they ran at; the loop runs rounds one after another, so
/// reading them in order and then checking how many there were shows there was no extra one in between.
/// </summary>
public sealed class PumpLoopTests : IAsyncDisposable
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly Wakeup _wakeup = new();
    private readonly Channel<DateTimeOffset> _rounds = Channel.CreateUnbounded<DateTimeOffset>();
    private readonly List<DateTimeOffset> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private Func<int, PumpRound> _answer = _ => new PumpRound(0, null);
    private int _count;
    private Task _loop = Task.CompletedTask;

    private DateTimeOffset Start => new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private void StartLoop() =>
        _loop = PumpLoop.RunAsync("test", _ =>
        {
            var n = Interlocked.Increment(ref _count);
            _rounds.Writer.TryWrite(_time.GetUtcNow());
            return Task.FromResult(_answer(n));
        }, _wakeup, IdlePoll, _time, NullLogger.Instance, _stop.Token);

    private async Task<DateTimeOffset> NextRoundAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var at = await _rounds.Reader.ReadAsync(timeout.Token);
        _seen.Add(at);
        return at;
    }

    /// <summary>A signal, its round, and the few settling rounds after it, each finding nothing.</summary>
    private async Task SignalThroughSettlingAsync()
    {
        _wakeup.Signal();
        await NextRoundAsync();
        for (var i = 0; i < PumpLoop.SettleRounds; i++)
        {
            _time.Advance(PumpLoop.SettleDelay);
            await NextRoundAsync();
        }
    }

    [Fact]
    public async Task An_idle_pump_looks_at_the_store_once_per_idle_poll()
    {
        StartLoop();
        Assert.Equal(Start, await NextRoundAsync());

        _time.Advance(IdlePoll);
        Assert.Equal(Start + IdlePoll, await NextRoundAsync());
        _time.Advance(IdlePoll);
        Assert.Equal(Start + 2 * IdlePoll, await NextRoundAsync());

        _wakeup.Signal();
        await NextRoundAsync();
        Assert.Equal(4, Volatile.Read(ref _count));
    }

    [Fact]
    public async Task A_signal_wakes_the_pump_at_once_without_waiting_for_the_poll()
    {
        StartLoop();
        await NextRoundAsync();

        _wakeup.Signal();

        Assert.Equal(Start, await NextRoundAsync());
    }

    [Fact]
    public async Task A_signal_given_while_a_round_is_running_is_kept_for_the_next_wait()
    {
        var release = new TaskCompletionSource();
        var inRound = new TaskCompletionSource();
        _loop = PumpLoop.RunAsync("test", async _ =>
        {
            var n = Interlocked.Increment(ref _count);
            _rounds.Writer.TryWrite(_time.GetUtcNow());
            if (n == 1)
            {
                inRound.SetResult();
                await release.Task;
            }
            return new PumpRound(0, null);
        }, _wakeup, IdlePoll, _time, NullLogger.Instance, _stop.Token);
        await inRound.Task;

        _wakeup.Signal();
        release.SetResult();

        await NextRoundAsync();
        Assert.Equal(Start, await NextRoundAsync());
    }

    [Fact]
    public async Task The_pump_wakes_at_the_next_due_time_it_knows_of()
    {
        _answer = n => new PumpRound(n == 1 ? 1 : 0, n == 1 ? Start + TimeSpan.FromSeconds(5) : null);
        StartLoop();
        await NextRoundAsync();

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(Start + TimeSpan.FromSeconds(5), await NextRoundAsync());
    }

    [Fact]
    public async Task A_due_time_learned_before_a_signal_still_wakes_the_pump_when_the_signalled_rounds_found_nothing()
    {
        // Round 1 sends a message and learns its channel may send again in 2 s; a message queued meanwhile signals, but the
        // channel is still paced, so the signalled rounds claim nothing and learn no due time of their own.
        var due = Start + TimeSpan.FromSeconds(2);
        _answer = n => n == 1 ? new PumpRound(1, due) : new PumpRound(0, null);
        StartLoop();
        await NextRoundAsync();

        await SignalThroughSettlingAsync();
        _time.Advance(due - _time.GetUtcNow());

        Assert.Equal(due, await NextRoundAsync());
    }

    [Fact]
    public async Task A_due_time_just_after_the_idle_poll_still_wakes_the_pump_after_the_poll_found_nothing()
    {
        var due = Start + IdlePoll + TimeSpan.FromSeconds(1);
        _answer = n => n == 1 ? new PumpRound(1, due) : new PumpRound(0, null);
        StartLoop();
        await NextRoundAsync();

        _time.Advance(IdlePoll);
        Assert.Equal(Start + IdlePoll, await NextRoundAsync());
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(due, await NextRoundAsync());
    }

    [Fact]
    public async Task A_signal_for_work_due_later_wakes_the_pump_when_it_is_due()
    {
        StartLoop();
        await NextRoundAsync();

        _wakeup.Signal(Start + TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(Start + TimeSpan.FromSeconds(10), await NextRoundAsync());
    }

    [Fact]
    public async Task Work_due_but_held_by_another_instance_does_not_make_the_pump_spin()
    {
        // Every round sees work due a minute ago and claims none of it (its lease is someone else's).
        _answer = _ => new PumpRound(0, Start - TimeSpan.FromMinutes(1));
        StartLoop();
        await NextRoundAsync();

        _time.Advance(IdlePoll);
        Assert.Equal(Start + IdlePoll, await NextRoundAsync());
        _wakeup.Signal();
        await NextRoundAsync();
        // Three rounds: the start, the idle poll, the signal; none in a loop between them.
        Assert.Equal(3, Volatile.Read(ref _count));
    }

    [Fact]
    public async Task A_signalled_round_that_found_nothing_looks_again_a_few_times_for_an_index_that_lags()
    {
        StartLoop();
        await NextRoundAsync();

        await SignalThroughSettlingAsync();
        _time.Advance(IdlePoll);
        await NextRoundAsync();

        Assert.Equal(PumpLoop.SettleRounds + 3, Volatile.Read(ref _count));
    }

    [Fact]
    public async Task A_failing_round_is_tried_again_after_a_second()
    {
        var attempts = 0;
        _loop = PumpLoop.RunAsync("test", _ =>
        {
            _rounds.Writer.TryWrite(_time.GetUtcNow());
            return ++attempts == 1 ? throw new IOException("store unavailable") : Task.FromResult(new PumpRound(0, null));
        }, _wakeup, IdlePoll, _time, NullLogger.Instance, _stop.Token);
        await NextRoundAsync();

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(Start + TimeSpan.FromSeconds(1), await NextRoundAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
