using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Engine;
using Bot.Workflows.Outbox;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Workflows.Tests.Outbox;

/// <summary>The outbox sender against scripted chat failures (its behaviour depends only on the IChat exceptions).</summary>
public sealed class OutboxSenderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-outbox-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));

    private async Task<WorkflowHost> HostAsync(TestChat chat)
    {
        var store = new SqliteWorkflowStore(Path.Combine(_dir, "bot.db"), _time);
        await store.InitializeAsync(CancellationToken.None);
        return new WorkflowHost(store, _time, chat);
    }

    private static async Task RequestAsync(WorkflowHost host, string id, string channel) =>
        await host.Engine.CreateAsync(SampleApproval.New(id, channel, $"change {id}", new WorkflowActor("U1", "ana")), new WorkflowActor("U1", "ana"), null, null, CancellationToken.None);

    [Fact]
    public async Task Rate_limit_then_two_server_errors_still_deliver_every_message_once_in_order()
    {
        var chat = new TestChat();
        var host = await HostAsync(chat);
        for (var i = 0; i < 4; i++) await RequestAsync(host, $"c{i}", "C0OPS");
        for (var i = 0; i < 3; i++) await RequestAsync(host, $"d{i}", "C0DEV");
        chat.FailNext(
            new ChatRateLimitedException(TimeSpan.FromSeconds(7)),
            new ChatDeliveryException("http_500", transient: true),
            new ChatDeliveryException("http_500", transient: true));

        await host.DrainOutboxAsync();

        Assert.Equal(["change c0", "change c1", "change c2", "change c3"], Titles(chat, "C0OPS"));
        Assert.Equal(["change d0", "change d1", "change d2"], Titles(chat, "C0DEV"));
        Assert.Equal(7, chat.Deliveries.Count);
        Assert.Equal(10, chat.Calls);
    }

    [Fact]
    public async Task A_round_that_finds_only_paced_messages_is_numbered_as_the_last_empty_one()
    {
        var chat = new TestChat();
        var host = await HostAsync(chat);
        await RequestAsync(host, "c0", "C0OPS");
        await RequestAsync(host, "c1", "C0OPS");
        Assert.Equal((0, 0), (host.Sender.RoundsStarted, host.Sender.LastEmptyRound));

        Assert.Equal(1, await host.Sender.RunOnceAsync(CancellationToken.None)); // c0; c1 waits for the channel's pacing
        Assert.Equal((1, 0), (host.Sender.RoundsStarted, host.Sender.LastEmptyRound));
        Assert.Equal(0, await host.Sender.RunOnceAsync(CancellationToken.None));
        Assert.Equal((2, 2), (host.Sender.RoundsStarted, host.Sender.LastEmptyRound));

        _time.Advance(OutboxSender.ChannelSpacing);
        Assert.Equal(1, await host.Sender.RunOnceAsync(CancellationToken.None)); // c1
        Assert.Equal((3, 2), (host.Sender.RoundsStarted, host.Sender.LastEmptyRound));
    }

    [Fact]
    public async Task An_edit_of_a_card_does_not_hold_the_channel_for_a_second_and_a_post_still_does()
    {
        var chat = new TestChat();
        var host = await HostAsync(chat);
        await RequestAsync(host, "c0", "C0OPS");
        await host.Engine.FireAsync(new WorkflowTrigger(SampleApproval.Type, "c0", nameof(ApprovalTrigger.Approve), new WorkflowActor("U0BEN", "ben")), CancellationToken.None);
        Assert.Equal(1, await host.Sender.RunOnceAsync(CancellationToken.None)); // the card
        _time.Advance(OutboxSender.ChannelSpacing);

        // The card edited ("Approved") and the timeline's "Approved by ben" go in the same second, each in its lane.
        var editAndReply = await host.Sender.RunOnceAsync(CancellationToken.None);
        await RequestAsync(host, "c1", "C0OPS");
        var postAfterThePost = await host.Sender.RunOnceAsync(CancellationToken.None);
        _time.Advance(OutboxSender.ChannelSpacing);
        var postASecondLater = await host.Sender.RunOnceAsync(CancellationToken.None);

        Assert.Equal((2, 0, 1), (editAndReply, postAfterThePost, postASecondLater));
        Assert.Equal(["post", "post", "post", "update"], chat.Deliveries.Select(d => d.Kind).Order());
        Assert.Equal("post", chat.Deliveries[^1].Kind);
    }

    [Fact]
    public async Task A_card_edit_goes_ahead_of_the_thread_lines_queued_before_it()
    {
        var chat = new TestChat();
        var host = await HostAsync(chat);
        await RequestAsync(host, "c0", "C0OPS");
        await host.DrainOutboxAsync();
        _time.Advance(OutboxSender.ChannelSpacing);
        // The reminders queue thread lines (the card is unchanged by them); then the approval edits the card.
        for (var n = 1; n <= SampleApproval.MaxReminders; n++)
        {
            await host.Engine.FireAsync(new WorkflowTrigger(SampleApproval.Type, "c0", nameof(ApprovalTrigger.Remind), WorkflowActor.Bot)
            {
                Source = TriggerSource.Timer, Expectation = $"reminder:{n}",
            }, CancellationToken.None);
        }
        await host.Engine.FireAsync(new WorkflowTrigger(SampleApproval.Type, "c0", nameof(ApprovalTrigger.Approve), new WorkflowActor("U0BEN", "ben")), CancellationToken.None);

        await host.Sender.RunOnceAsync(CancellationToken.None);

        // The edit is out in the first round, with the first reminder (the card was posted more than a second ago); the other
        // lines follow a second apart, in order.
        Assert.Single(chat.Deliveries, d => d.Kind == "update" && d.Text.Contains("Applying by @ben", StringComparison.Ordinal));
        Assert.Equal(2, chat.Deliveries.Count(d => d.Kind == "post"));
        await host.DrainOutboxAsync();
        Assert.Equal(["Reminder 1", "Reminder 2", "approved by"], chat.Deliveries.Where(d => d.Kind == "post").Skip(1).Select(d => d.Text[..Math.Min(d.Text.Length, 11)].TrimEnd(':')));
    }

    [Fact]
    public async Task A_rate_limited_channel_does_not_hold_up_other_channels()
    {
        var chat = new TestChat();
        var host = await HostAsync(chat);
        await RequestAsync(host, "c0", "C0OPS");
        await RequestAsync(host, "d0", "C0DEV");
        chat.FailNext(new ChatRateLimitedException(TimeSpan.FromSeconds(30)));

        await host.Sender.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await host.Sender.RunOnceAsync(CancellationToken.None);

        Assert.Single(chat.Deliveries);
        Assert.Equal(1, await host.Store.CountPendingOutboxAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_permanent_failure_gives_the_message_up_and_the_channel_moves_on()
    {
        var chat = new TestChat();
        var host = await HostAsync(chat);
        await RequestAsync(host, "c0", "C0GONE");
        await RequestAsync(host, "c1", "C0GONE");
        chat.FailNext(new ChatDeliveryException("channel_not_found", transient: false));

        await host.DrainOutboxAsync();

        Assert.Equal(["change c1"], Titles(chat, "C0GONE"));
    }

    [Fact]
    public async Task Transient_failures_back_off_exponentially_up_to_five_minutes()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), Bot.Workflows.Outbox.OutboxSender.Backoff(1));
        Assert.Equal(TimeSpan.FromSeconds(8), Bot.Workflows.Outbox.OutboxSender.Backoff(4));
        Assert.Equal(TimeSpan.FromMinutes(5), Bot.Workflows.Outbox.OutboxSender.Backoff(30));
    }

    private static List<string> Titles(TestChat chat, string channel) =>
        chat.Deliveries.Where(d => d.Channel == channel).Select(d => d.Text.Split("approval: ")[1]).ToList();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
