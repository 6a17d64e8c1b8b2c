using Bot.Testing;
using Bot.Tests;
using System.Collections.Concurrent;
using Bot.Testing.Workflows;
using Bot.Workflows.Incidents;
using Bot.Workflows.Messages;
using Bot.Workflows.Outbox;
using Bot.Workflows.Ports;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Tests.Incidents;

/// <summary>Storms: past the limit, new incidents are recorded but listed in one digest edited in place, at Slack's pace.</summary>
public sealed class IncidentStormTests : IncidentStoreTests
{
    private IncidentDesk _desk = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _desk = new IncidentDesk(Store, Time, o => o.Storm.MaxPerMinute = 10);
    }

    [Fact]
    public async Task Five_hundred_incidents_in_ten_seconds_are_all_recorded_and_post_a_bounded_number_of_messages_at_slacks_pace()
    {
        for (var n = 0; n < 500; n++)
        {
            var live = _desk.Host.Pager.Put(_desk.Host.Live(id: $"QSTORM{n:D4}") with { Number = 1000 + n, Title = $"Lambda function errors #{n}" });
            await _desk.HandleAsync(_desk.Event("incident.triggered", live));
            Time.Advance(TimeSpan.FromMilliseconds(20));
            if (n % 50 == 49) await _desk.Host.Pump.RunOnceAsync(CancellationToken.None); // every second: the digest's timer
        }

        var incidents = await _desk.Host.Store.ListAggregatesAsync(Incident.Type, null, 1000, CancellationToken.None);
        var restored = incidents.Select(r => (Incident)Incident.Definition.Restore(r)).ToList();
        Assert.Equal(500, restored.Count);
        Assert.Equal(10, restored.Count(i => !i.Data.Quiet));
        Assert.All(restored, i => Assert.Equal(IncidentState.Triggered, i.CurrentState));

        var chat = new ClockedChat(Time);
        var sender = new OutboxSender(_desk.Host.Store, chat, Time, NullLogger<OutboxSender>.Instance);
        var pending = await _desk.Host.Store.CountPendingOutboxAsync(CancellationToken.None);
        Assert.InRange(pending, 10, 60); // ten threads (card, opening line, runbook) and the digest with its edits, not 500 threads
        for (var i = 0; i < 200 && await _desk.Host.Store.CountPendingOutboxAsync(CancellationToken.None) > 0; i++)
        {
            await sender.RunOnceAsync(CancellationToken.None);
            await _desk.Host.Pump.RunOnceAsync(CancellationToken.None);
            Time.Advance(TimeSpan.FromMilliseconds(250));
        }

        Assert.Equal(0, await _desk.Host.Store.CountPendingOutboxAsync(CancellationToken.None));
        // Slack's pace: a second between new messages in a channel (edits have their own, per-method limit).
        var times = chat.Calls.Where(c => c.Channel == IncidentHost.Channel && !c.IsEdit).Select(c => c.At).ToList();
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= OutboxSender.ChannelSpacing, $"{pair.First:O} then {pair.Second:O}"));
        var digest = chat.Calls.Last(c => c.Content.Card?.Title.StartsWith("Incident storm", StringComparison.Ordinal) == true).Content.Card!;
        Assert.Equal("Incident storm: 490 new incidents without a thread", digest.Title);
        // The channel hears of the storm first: the digest's post went ahead of the ten threads' posts queued before it.
        var firstDigest = chat.Calls.First(c => c.Content.Card?.Title.StartsWith("Incident storm", StringComparison.Ordinal) == true);
        Assert.Equal(0, chat.Calls.ToList().IndexOf(firstDigest));
    }

    [Fact]
    public async Task The_storm_ends_when_incidents_stop_arriving_and_new_ones_get_threads_again()
    {
        for (var n = 0; n < 12; n++)
            await _desk.HandleAsync(_desk.Event("incident.triggered", _desk.Host.Pager.Put(_desk.Host.Live(id: $"QSTORM{n:D4}"))));

        Time.Advance(TimeSpan.FromMinutes(3));
        await _desk.Host.Pump.RunOnceAsync(CancellationToken.None);
        await _desk.HandleAsync(_desk.Event("incident.triggered", _desk.Host.Pager.Put(_desk.Host.Live(id: "QAFTER"))));

        var intake = (IncidentIntake)IncidentIntake.Definition.Restore((await _desk.Host.Store.LoadAsync(IncidentIntake.Type, IncidentHost.Channel, CancellationToken.None))!);
        Assert.Equal(IntakeState.Calm, intake.CurrentState);
        Assert.False((await _desk.Host.LoadAsync("QAFTER")).Data.Quiet);
        Assert.Contains(await _desk.Host.DeliverAsync(), d => d.Text.StartsWith("The incident storm is over: 2 incident(s)", StringComparison.Ordinal));
    }

    /// <summary>A chat that notes when each call was made, on the fake clock.</summary>
    private sealed class ClockedChat(TimeProvider time) : IChat
    {
        public sealed record Call(DateTimeOffset At, string Channel, ChatContent Content, bool IsEdit = false);

        private readonly ConcurrentQueue<Call> _calls = new();
        private long _ts;

        public IReadOnlyList<Call> Calls => _calls.ToArray();

        public Task<string> PostAsync(string channel, ChatContent content, string? threadTs, CancellationToken cancellationToken)
        {
            _calls.Enqueue(new Call(time.GetUtcNow(), channel, content));
            return Task.FromResult($"1700000000.{Interlocked.Increment(ref _ts):D6}");
        }

        public Task UpdateAsync(string channel, string ts, ChatContent content, CancellationToken cancellationToken)
        {
            _calls.Enqueue(new Call(time.GetUtcNow(), channel, content, IsEdit: true));
            return Task.CompletedTask;
        }
    }
}
