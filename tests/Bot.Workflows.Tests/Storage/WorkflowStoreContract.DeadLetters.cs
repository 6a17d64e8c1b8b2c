using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;

namespace Bot.Workflows.Tests.Storage;

/// <summary>Dead letters: messages the outbox gave up on are kept, counted, listed and can be replayed once, never over a newer card.</summary>
public abstract partial class WorkflowStoreContract
{
    private static ChatDeliveryException NotInChannel => new("not_in_channel", transient: false);

    private static Task RequestAsync(WorkflowHost host, string id) =>
        host.Engine.CreateAsync(SampleApproval.New(id, Ops, $"deploy {id}", Ana), Ana, "req-" + id, null, CancellationToken.None);

    private static Task ApproveAsync(WorkflowHost host, string id) =>
        host.Engine.FireAsync(new WorkflowTrigger(SampleApproval.Type, id, nameof(ApprovalTrigger.Approve), Ben) { RequestId = "req-ok-" + id }, CancellationToken.None);

    [Fact]
    public async Task A_message_given_up_is_kept_as_a_dead_letter_listed_and_counted()
    {
        var host = await NewHostAsync();
        await RequestAsync(host, "a1");
        host.Chat.FailNext(NotInChannel);

        await host.DrainOutboxAsync();

        Assert.Equal(1, await host.Store.CountDeadLettersAsync(CancellationToken.None));
        var dead = Assert.Single(await host.Store.ListDeadLettersAsync(10, CancellationToken.None));
        Assert.Equal("not_in_channel", dead.Error);
        Assert.Equal(Ops, dead.Message.Channel);
        Assert.Equal("Approval request: @ana asks for approval: deploy a1", dead.Message.Text);
        Assert.Equal(Time.GetUtcNow(), dead.FailedAt);
        Assert.Empty(host.Chat.Deliveries);
    }

    [Fact]
    public async Task A_replayed_dead_letter_is_delivered_once_after_what_was_queued_before_it()
    {
        var host = await NewHostAsync();
        await RequestAsync(host, "a1");
        host.Chat.FailNext(NotInChannel);
        await host.DrainOutboxAsync();
        await RequestAsync(host, "a2");
        var dead = Assert.Single(await host.Store.ListDeadLettersAsync(10, CancellationToken.None));

        Assert.Equal(DeadLetterReplay.Replayed, await host.Store.ReplayDeadLetterAsync(dead.Message.Id, CancellationToken.None));
        Assert.Equal(DeadLetterReplay.NotFound, await host.Store.ReplayDeadLetterAsync(dead.Message.Id, CancellationToken.None));
        await host.DrainOutboxAsync();

        Assert.Equal(["Approval request: @ana asks for approval: deploy a2", "Approval request: @ana asks for approval: deploy a1"],
            host.Chat.Deliveries.Select(d => d.Text));
        Assert.Equal(0, await host.Store.CountDeadLettersAsync(CancellationToken.None));
        // The replayed card is the card: edits find it.
        Assert.Equal(host.Chat.Deliveries[1].Ts, (await host.Store.FindSentAsync(SampleApproval.Type + "/a1/card", CancellationToken.None))!.Ts);
    }

    [Fact]
    public async Task An_older_version_of_a_card_is_not_replayed_over_a_newer_one_given_up_too()
    {
        var host = await NewHostAsync();
        await RequestAsync(host, "a1");
        await host.DrainOutboxAsync();
        await ApproveAsync(host, "a1");
        host.Chat.FailNextUpdates(NotInChannel);                // the card's edit to "Applying"
        await host.DrainOutboxAsync();
        await host.Runner.RunOnceAsync(CancellationToken.None); // the activity reports: the card's edit to "Applied"
        host.Chat.FailNextUpdates(NotInChannel);
        await host.DrainOutboxAsync();
        var dead = await host.Store.ListDeadLettersAsync(10, CancellationToken.None);
        Assert.Equal(2, dead.Count);

        Assert.Equal(DeadLetterReplay.Superseded, await host.Store.ReplayDeadLetterAsync(dead[0].Message.Id, CancellationToken.None));
        Assert.Equal(DeadLetterReplay.Replayed, await host.Store.ReplayDeadLetterAsync(dead[1].Message.Id, CancellationToken.None));
        await host.DrainOutboxAsync();

        Assert.StartsWith("Approval request: deploy a1 — Applied", host.Chat.Deliveries[^1].Text);
        Assert.Equal(0, await host.Store.CountDeadLettersAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_dead_letter_of_a_card_goes_when_a_newer_version_of_the_card_is_delivered()
    {
        var host = await NewHostAsync();
        await RequestAsync(host, "a1");
        await host.DrainOutboxAsync();
        await ApproveAsync(host, "a1");
        host.Chat.FailNextUpdates(NotInChannel);
        await host.DrainOutboxAsync();
        Assert.Equal(1, await host.Store.CountDeadLettersAsync(CancellationToken.None));

        await host.Runner.RunOnceAsync(CancellationToken.None);
        await host.DrainOutboxAsync();

        Assert.Equal(0, await host.Store.CountDeadLettersAsync(CancellationToken.None));
        Assert.StartsWith("Approval request: deploy a1 — Applied", host.Chat.Deliveries.Last(d => d.Kind == "update").Text);
    }

    [Fact]
    public async Task Edits_and_thread_lines_of_a_card_given_up_share_its_fate_and_come_back_with_it()
    {
        var host = await NewHostAsync();
        await RequestAsync(host, "a1");
        host.Chat.FailNext(NotInChannel);                      // the card's first post is refused for good
        await host.DrainOutboxAsync();
        await host.Engine.FireAsync(new WorkflowTrigger(SampleApproval.Type, "a1", nameof(ApprovalTrigger.Remind), WorkflowActor.Bot)
        {
            Source = TriggerSource.Timer, Expectation = "reminder:1",
        }, CancellationToken.None);                            // a thread line
        await ApproveAsync(host, "a1");                        // an edit of the card and a thread line
        await host.Runner.RunOnceAsync(CancellationToken.None); // another edit ("Applied") and thread line

        await host.DrainOutboxAsync();

        // Nothing of the card went out on its own: no edit posted as a new message, no thread line at the top of the channel (the
        // requester's direct message is not the card's).
        Assert.Equal(["U0ANA"], host.Chat.Deliveries.Select(d => d.Channel));
        var dead = await host.Store.ListDeadLettersAsync(10, CancellationToken.None);
        Assert.Equal(6, dead.Count);
        Assert.All(dead.Skip(1), d => Assert.Equal($"its card was given up ({SampleApproval.Type}/a1/card)", d.Error));
        // Listed once: the card, with what waits with it.
        var listed = Assert.Single(await new Bot.Workflows.DeadLettering.DeadLetters(host.Store, Time).ListAllAsync(10, CancellationToken.None));
        Assert.Equal((dead[0].Message.Id, 5), (listed.Id, listed.WaitingWithIt));

        Assert.Equal(DeadLetterReplay.Replayed, await host.Store.ReplayDeadLetterAsync(dead[0].Message.Id, CancellationToken.None));
        await host.DrainOutboxAsync();

        // The card, its newest version, and its thread in order under it.
        var card = host.Chat.Deliveries.First(d => d.Channel == Ops);
        Assert.Equal(("post", null), (card.Kind, card.ThreadTs));
        Assert.StartsWith("Approval request: @ana asks for approval: deploy a1", card.Text);
        Assert.Equal(["deploy a1 — Applied"], host.Chat.Deliveries.Where(d => d.Kind == "update").Select(d => d.Text.Split(": ", 2)[1][..19]));
        Assert.Equal(["Reminder 1", "approved b", "Applied: d"], host.Chat.Deliveries.Where(d => d.Kind == "post" && d.ThreadTs == card.Ts).Select(d => d.Text[..10]));
        Assert.Equal(5, host.Chat.Deliveries.Count(d => d.Channel == Ops));
        Assert.Equal(0, await host.Store.CountDeadLettersAsync(CancellationToken.None));
    }
}
