using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Engine;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Workflows.Tests.Wakeups;

/// <summary>
/// A commit wakes the pumps of its own process: on a clock that never moves (so no poll could ever run again), a
/// request's card still reaches chat and its timer is scheduled. Each test waits (in real time) only as a bound.
/// </summary>
public sealed class CommitWakeupTests : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-wakeup-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];

    private async Task<WorkflowHost> HostAsync()
    {
        var store = new SqliteWorkflowStore(Path.Combine(_dir, "bot.db"), _time);
        await store.InitializeAsync(CancellationToken.None);
        return new WorkflowHost(store, _time);
    }

    private static Task RequestAsync(WorkflowHost host, string id) =>
        host.Engine.CreateAsync(SampleApproval.New(id, "C0OPS", $"change {id}", new WorkflowActor("U1", "ana")), new WorkflowActor("U1", "ana"), null, null, CancellationToken.None);

    private static async Task Until(Func<bool> condition, TimeSpan? bound = null)
    {
        using var cts = new CancellationTokenSource(bound ?? TimeSpan.FromSeconds(20));
        while (!condition()) await Task.Delay(10, cts.Token);
    }

    [Fact]
    public async Task A_saved_message_is_sent_at_once_without_waiting_for_a_poll()
    {
        var host = await HostAsync();
        _running.Add(host.Sender.RunAsync(_stop.Token));
        await Task.Delay(50);

        await RequestAsync(host, "c1");

        await Until(() => host.Chat.Deliveries.Count == 1);
        Assert.Contains("change c1", host.Chat.Deliveries[0].Text);
    }

    [Fact]
    public async Task A_message_saved_while_its_channel_waits_out_its_pacing_is_sent_when_the_pacing_ends_without_waiting_for_a_poll()
    {
        // The real clock: the pacing of a second has to pass while the loop is in its own waits.
        var store = new SqliteWorkflowStore(Path.Combine(_dir, "bot.db"), TimeProvider.System);
        await store.InitializeAsync(CancellationToken.None);
        var host = new WorkflowHost(store, _time);
        var sender = new Bot.Workflows.Outbox.OutboxSender(store, host.Chat, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Bot.Workflows.Outbox.OutboxSender>.Instance, host.Signals);
        _running.Add(sender.RunAsync(_stop.Token));
        await RequestAsync(host, "c1");
        await Until(() => host.Chat.Deliveries.Count == 1);

        // Same channel, within its second of pacing: the round this commit wakes finds nothing it may send yet.
        await RequestAsync(host, "c2");

        // The idle poll is 30 s away; the bound is well before it.
        await Until(() => host.Chat.Deliveries.Count == 2, TimeSpan.FromSeconds(10));
        Assert.Contains("change c2", host.Chat.Deliveries[1].Text);
    }

    [Fact]
    public async Task A_message_right_after_a_card_edit_is_sent_at_once_without_waiting_for_a_poll()
    {
        var host = await HostAsync();
        _running.Add(host.Sender.RunAsync(_stop.Token));
        await RequestAsync(host, "c1");
        await Until(() => host.Chat.Deliveries.Count == 1);
        _time.Advance(Bot.Workflows.Outbox.OutboxSender.ChannelSpacing); // the card's second has passed; the clock stops here

        // The card is edited ("Approved") and the timeline says who approved, in its thread.
        await host.Engine.FireAsync(new WorkflowTrigger(SampleApproval.Type, "c1", nameof(ApprovalTrigger.Approve), new WorkflowActor("U0BEN", "ben")), CancellationToken.None);

        await Until(() => host.Chat.Deliveries.Count == 3);
        // The edit and the thread line go out in their own lanes (edits of cards, new messages), so between them the order is
        // not fixed; both went without a poll (the clock did not move), after the card's first post.
        Assert.Equal("post", host.Chat.Deliveries[0].Kind);
        Assert.Equal(["post", "update"], host.Chat.Deliveries.Skip(1).Select(d => d.Kind).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_timer_set_by_a_commit_fires_when_due_without_a_poll()
    {
        var host = await HostAsync();
        _running.Add(host.Pump.RunAsync(_stop.Token));
        await Task.Delay(50);
        await RequestAsync(host, "c1");

        _time.Advance(SampleApproval.ExpiresAfter);

        await Until(() => host.Store.LoadAsync(SampleApproval.Type, "c1", CancellationToken.None).GetAwaiter().GetResult()!.State == "Expired");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var task in _running)
        {
            try
            {
                await task;
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stop.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
