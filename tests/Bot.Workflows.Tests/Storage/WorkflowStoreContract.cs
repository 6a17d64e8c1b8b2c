using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Workflows.Audit;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Workflows.Tests.Storage;

/// <summary>
/// The contract every workflow store passes (SQLite and DynamoDB on DynamoDB Local), driven through the real
/// engine, timer pump and outbox sender. Each test gets a fresh database; "hosts" are independent store
/// objects on that database, like bot instances sharing a file or a table.
/// </summary>
public abstract partial class WorkflowStoreContract : IAsyncLifetime
{
    protected static readonly WorkflowActor Ana = new("U0ANA", "ana");
    protected static readonly WorkflowActor Ben = new("U0BEN", "ben");
    protected static readonly WorkflowActor Cy = new("U0CY", "cy");
    protected const string Ops = "C0OPS";

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero));

    /// <summary>A new store object on this test's database (a second call is a second "host").</summary>
    protected abstract Task<IWorkflowStore> OpenStoreAsync();

    /// <summary>Changes the stored action of audit record <paramref name="sequence"/> behind the store's back.</summary>
    protected abstract Task TamperWithAuditAsync(long sequence, string action);

    public virtual Task InitializeAsync() => Task.CompletedTask;
    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected async Task<WorkflowHost> NewHostAsync(TestChat? chat = null)
    {
        var store = await OpenStoreAsync();
        await store.InitializeAsync(CancellationToken.None);
        return new WorkflowHost(store, Time, chat);
    }

    private static WorkflowTrigger Trigger(string id, ApprovalTrigger trigger, WorkflowActor actor, string? key = null) =>
        new(SampleApproval.Type, id, trigger.ToString(), actor) { IdempotencyKey = key, RequestId = key ?? "req-" + Guid.NewGuid().ToString("N")[..6] };

    private static async Task<FireOutcome> CreateAsync(WorkflowHost host, string id = "a1") =>
        await host.Engine.CreateAsync(SampleApproval.New(id, Ops, "deploy api v42", Ana), Ana, "req-create", null, CancellationToken.None);

    private static async Task<SampleApproval> LoadAsync(WorkflowHost host, string id = "a1")
    {
        var record = await host.Store.LoadAsync(SampleApproval.Type, id, CancellationToken.None);
        Assert.NotNull(record);
        return (SampleApproval)SampleApproval.Definition.Restore(record);
    }

    private static async Task<List<AuditRecord>> ChainAsync(WorkflowHost host)
    {
        var list = new List<AuditRecord>();
        await foreach (var r in host.Store.ReadAuditChainAsync(CancellationToken.None)) list.Add(r);
        return list;
    }

    [Fact]
    public async Task Created_aggregate_is_stored_at_version_1_with_its_message_timers_and_audit_record()
    {
        var host = await NewHostAsync();
        var created = await CreateAsync(host);

        Assert.Equal(FireOutcomeKind.Transitioned, created.Kind);
        var approval = await LoadAsync(host);
        Assert.Equal(ApprovalState.Pending, approval.CurrentState);
        Assert.Equal(1, approval.Version);
        Assert.Equal("deploy api v42", approval.Data.Title);
        Assert.Equal(1, await host.Store.CountPendingOutboxAsync(CancellationToken.None));
        Assert.Equal(Time.GetUtcNow() + SampleApproval.ReminderAfter, await host.Store.NextTimerDueAsync(CancellationToken.None));
        var audit = Assert.Single(await ChainAsync(host));
        Assert.Equal(("Create", "(new)", "Pending", "U0ANA", "req-create"), (audit.Action, audit.Before, audit.After, audit.ActorId, audit.RequestId));
    }

    [Fact]
    public async Task Aggregates_of_a_type_are_listed_most_recently_changed_first()
    {
        var host = await NewHostAsync();
        await CreateAsync(host, "a1");
        Time.Advance(TimeSpan.FromMinutes(1));
        await CreateAsync(host, "a2");
        Time.Advance(TimeSpan.FromMinutes(1));
        await host.Engine.FireAsync(Trigger("a1", ApprovalTrigger.Approve, Ben), CancellationToken.None);

        var all = await ListEventuallyAsync(host, null, expected: 2);
        var recent = await ListEventuallyAsync(host, Time.GetUtcNow() - TimeSpan.FromSeconds(30), expected: 1);

        Assert.Equal(["a1", "a2"], all.Select(a => a.AggregateId));
        Assert.Equal(("a1", "Applying", 2L), (recent[0].AggregateId, recent[0].State, recent[0].Version));
        Assert.Empty(await host.Store.ListAggregatesAsync("other-type", null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Aggregates_in_some_states_are_all_listed_however_many_changed_after_them()
    {
        var host = await NewHostAsync();
        await CreateAsync(host, "a0");
        for (var i = 1; i <= 12; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await CreateAsync(host, $"a{i}");
            await host.Engine.FireAsync(Trigger($"a{i}", ApprovalTrigger.Approve, Ben), CancellationToken.None);
        }

        IReadOnlyList<AggregateRecord> pending = [], both = [];
        for (var i = 0; i < 50 && (pending.Count < 1 || both.Count < 13); i++)
        {
            if (i > 0) await Task.Delay(100);
            pending = await host.Store.ListAggregatesInStatesAsync(SampleApproval.Type, [nameof(ApprovalState.Pending)], CancellationToken.None);
            both = await host.Store.ListAggregatesInStatesAsync(SampleApproval.Type, [nameof(ApprovalState.Pending), nameof(ApprovalState.Applying)], CancellationToken.None);
        }

        // The most recent ten do not reach back to a0; the listing by state does.
        Assert.DoesNotContain(await host.Store.ListAggregatesAsync(SampleApproval.Type, null, 10, CancellationToken.None), a => a.AggregateId == "a0");
        Assert.Equal(("a0", "Pending"), (Assert.Single(pending).AggregateId, pending[0].State));
        Assert.Equal(13, both.Count);
        Assert.Equal("a12", both[0].AggregateId);
        Assert.Empty(await host.Store.ListAggregatesInStatesAsync(SampleApproval.Type, [], CancellationToken.None));
        Assert.Empty(await host.Store.ListAggregatesInStatesAsync("other-type", [nameof(ApprovalState.Pending)], CancellationToken.None));
    }

    /// <summary>Listings may come from an index that lags a moment (DynamoDB's GSI): poll briefly for the expected count.</summary>
    private static async Task<IReadOnlyList<AggregateRecord>> ListEventuallyAsync(WorkflowHost host, DateTimeOffset? since, int expected)
    {
        for (var i = 0; ; i++)
        {
            var list = await host.Store.ListAggregatesAsync(SampleApproval.Type, since, 10, CancellationToken.None);
            if ((list.Count == expected && (since is not null || list[0].Version == 2)) || i >= 50) return list;
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Creating_the_same_id_twice_is_refused()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);
        var again = await CreateAsync(host);
        Assert.Equal(FireOutcomeKind.Refused, again.Kind);
        Assert.Contains("already exists", again.Describe());
    }

    [Fact]
    public async Task Approval_saves_the_new_state_its_audit_record_and_its_messages_together()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);

        var outcome = await host.Engine.FireAsync(Trigger("a1", ApprovalTrigger.Approve, Ben), CancellationToken.None);

        Assert.Equal(FireOutcomeKind.Transitioned, outcome.Kind);
        Assert.Equal(("Pending", "Applying", 2L), (outcome.From, outcome.To, outcome.AuditSequence!.Value));
        var approval = await LoadAsync(host);
        Assert.Equal((ApprovalState.Applying, 2L, "ben"), (approval.CurrentState, approval.Version, approval.Data.DecidedBy));
        Assert.Equal(3, await host.Store.CountPendingOutboxAsync(CancellationToken.None));
        Assert.Null(await host.Store.NextTimerDueAsync(CancellationToken.None)); // both timers cancelled
        var last = (await ChainAsync(host))[^1];
        Assert.Equal(("Approve", "Pending", "Applying", "U0BEN"), (last.Action, last.Before, last.After, last.ActorId));
    }

    [Fact]
    public async Task Requester_cannot_approve_own_request()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);

        var outcome = await host.Engine.FireAsync(Trigger("a1", ApprovalTrigger.Approve, Ana), CancellationToken.None);

        Assert.Equal(FireOutcomeKind.Refused, outcome.Kind);
        Assert.Equal(["The requester cannot approve their own request; ask someone else."], outcome.Reasons);
        Assert.Equal(ApprovalState.Pending, (await LoadAsync(host)).CurrentState);
        var refusal = (await ChainAsync(host))[^1];
        Assert.Equal(("Refused Approve", "U0ANA", "Pending", "Pending"), (refusal.Action, refusal.ActorId, refusal.Before, refusal.After));
        Assert.Contains("cannot approve their own request", refusal.DetailsJson);
    }

    [Fact]
    public async Task Second_approval_is_told_who_approved_and_when()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);
        await host.Engine.FireAsync(Trigger("a1", ApprovalTrigger.Approve, Ben), CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(3));

        var outcome = await host.Engine.FireAsync(Trigger("a1", ApprovalTrigger.Approve, Cy), CancellationToken.None);

        Assert.Equal(FireOutcomeKind.Refused, outcome.Kind);
        Assert.Equal("Already Applying by @ben at 14:02 UTC; Approve is no longer possible.", outcome.Describe());
    }

    [Fact]
    public async Task Unknown_aggregate_is_not_found()
    {
        var host = await NewHostAsync();
        var outcome = await host.Engine.FireAsync(Trigger("nope", ApprovalTrigger.Approve, Ben), CancellationToken.None);
        Assert.Equal(FireOutcomeKind.NotFound, outcome.Kind);
    }

    [Fact]
    public async Task Saving_over_a_version_that_moved_on_is_a_conflict()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);
        var stale = await LoadAsync(host);
        await host.Engine.FireAsync(Trigger("a1", ApprovalTrigger.Reject, Ben), CancellationToken.None);

        stale.Fire(nameof(ApprovalTrigger.Approve), new FireContext(Cy, Time.GetUtcNow()));
        var work = new UnitOfWork
        {
            Aggregate = stale.ToRecord(Time.GetUtcNow()),
            ExpectedVersion = stale.Version,
            Audit = new AuditDraft { At = Time.GetUtcNow(), ActorId = Cy.UserId, ActorName = Cy.UserName, Action = "Approve" },
        };

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => host.Store.CommitAsync(work, CancellationToken.None));
        Assert.Equal(ApprovalState.Rejected, (await LoadAsync(host)).CurrentState);
        Assert.Equal(2, (await ChainAsync(host)).Count);
    }

    [Fact]
    public async Task A_key_seen_before_returns_the_earlier_outcome_without_acting_again()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);

        var first = await host.Engine.FireAsync(Trigger("a1", ApprovalTrigger.Approve, Ben, key: "slack:Ev042"), CancellationToken.None);
        Time.Advance(TimeSpan.FromHours(23));
        var repeat = await host.Engine.FireAsync(Trigger("a1", ApprovalTrigger.Approve, Ben, key: "slack:Ev042"), CancellationToken.None);

        Assert.Equal(FireOutcomeKind.Duplicate, repeat.Kind);
        Assert.Equal(first.ToJson(), repeat.Earlier?.ToJson());
        Assert.Equal(2, (await ChainAsync(host)).Count);
    }

    [Fact]
    public async Task A_key_is_forgotten_after_its_retention()
    {
        var host = await NewHostAsync();
        Assert.True((await host.Store.ClaimAsync("pd:webhook-1", TimeSpan.FromDays(1), CancellationToken.None)).IsFirst);
        await host.Store.CompleteAsync("pd:webhook-1", "done", CancellationToken.None);
        Assert.Equal(new Bot.Workflows.Idempotency.IdempotencyClaim(false, "done"), await host.Store.ClaimAsync("pd:webhook-1", TimeSpan.FromDays(1), CancellationToken.None));

        Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));

        Assert.True((await host.Store.ClaimAsync("pd:webhook-1", TimeSpan.FromDays(1), CancellationToken.None)).IsFirst);
    }

    [Fact]
    public async Task A_delivery_record_is_kept_for_its_retention_on_every_store()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);
        await host.DrainOutboxAsync();
        var card = SampleApproval.Type + "/a1/card";
        Assert.NotNull(await host.Store.FindSentAsync(card, CancellationToken.None));

        Time.Advance(SentMessage.Retention - TimeSpan.FromMinutes(1));
        Assert.NotNull(await host.Store.FindSentAsync(card, CancellationToken.None));
        Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await host.Store.FindSentAsync(card, CancellationToken.None));
    }

    [Fact]
    public async Task A_completed_key_is_kept_for_the_retention_it_was_claimed_with()
    {
        var host = await NewHostAsync();
        Assert.True((await host.Store.ClaimAsync("pagerduty-webhook:w1", TimeSpan.FromDays(7), CancellationToken.None)).IsFirst);
        await host.Store.CompleteAsync("pagerduty-webhook:w1", "stored", CancellationToken.None);

        Time.Advance(TimeSpan.FromDays(6));
        Assert.Equal(new Bot.Workflows.Idempotency.IdempotencyClaim(false, "stored"), await host.Store.ClaimAsync("pagerduty-webhook:w1", TimeSpan.FromDays(7), CancellationToken.None));
        Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.True((await host.Store.ClaimAsync("pagerduty-webhook:w1", TimeSpan.FromDays(7), CancellationToken.None)).IsFirst);
    }

    [Fact]
    public async Task Due_timer_fires_once_through_the_engine_and_is_removed()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);

        Assert.Equal(0, await host.Pump.RunOnceAsync(CancellationToken.None));
        Time.Advance(SampleApproval.ReminderAfter);
        Assert.Equal(1, await host.Pump.RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await host.Pump.RunOnceAsync(CancellationToken.None));

        var approval = await LoadAsync(host);
        Assert.Equal((ApprovalState.Pending, 1), (approval.CurrentState, approval.Data.RemindersSent));
        var reminder = (await ChainAsync(host))[^1];
        Assert.Equal(("Remind", "bot", "reminder:1"), (reminder.Action, reminder.ActorId, System.Text.Json.JsonDocument.Parse(reminder.DetailsJson!).RootElement.GetProperty("expectation").GetString()));
        // The reminder re-armed itself for the second reminder.
        Assert.Equal(Time.GetUtcNow() + SampleApproval.ReminderAfter, await host.Store.NextTimerDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_late_or_repeated_timer_does_nothing()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);
        var reminder1 = new WorkflowTrigger(SampleApproval.Type, "a1", nameof(ApprovalTrigger.Remind), WorkflowActor.Bot) { Expectation = "reminder:1" };

        Assert.Equal(FireOutcomeKind.Transitioned, (await host.Engine.FireAsync(reminder1, CancellationToken.None)).Kind);
        var repeated = await host.Engine.FireAsync(reminder1, CancellationToken.None);

        Assert.Equal(FireOutcomeKind.Refused, repeated.Kind);
        Assert.Equal(["This reminder is out of date."], repeated.Reasons);
        Assert.Equal(1, (await LoadAsync(host)).Data.RemindersSent);
    }

    [Fact]
    public async Task A_commit_fired_by_a_timer_that_was_set_again_meanwhile_is_refused_and_leaves_the_new_setting()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);
        Time.Advance(SampleApproval.ReminderAfter);
        var stale = Assert.Single(await host.Store.ClaimDueTimersAsync(Time.GetUtcNow(), "pump", TimeSpan.FromSeconds(60), 1, CancellationToken.None));
        // Meanwhile the reminder fires by another path and re-arms itself (a new setting of the same timer).
        await host.Engine.FireAsync(new WorkflowTrigger(SampleApproval.Type, "a1", nameof(ApprovalTrigger.Remind), WorkflowActor.Bot) { Expectation = "reminder:1" }, CancellationToken.None);
        var rearmedDue = Time.GetUtcNow() + SampleApproval.ReminderAfter;

        // The claim no longer holds a setting of the timer: its firing is fenced off, nothing is written.
        await Assert.ThrowsAsync<LeaseLostException>(() => host.Store.CommitAsync(new UnitOfWork { Audit = Draft(Ana, "late timer"), FiredTimer = stale }, CancellationToken.None));

        Assert.NotEqual("late timer", (await ChainAsync(host))[^1].Action);
        Time.Advance(SampleApproval.ReminderAfter);
        var due = await host.Store.ClaimDueTimersAsync(Time.GetUtcNow(), "pump", TimeSpan.FromSeconds(60), 10, CancellationToken.None);
        Assert.Contains(due, t => t.Id == stale.Id && t.DueAt == rearmedDue && t.Token != stale.Token);
    }

    [Fact]
    public async Task Timers_of_a_decided_request_never_fire()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);
        await host.Engine.FireAsync(Trigger("a1", ApprovalTrigger.Approve, Ben), CancellationToken.None);

        Time.Advance(SampleApproval.ExpiresAfter * 2);

        Assert.Equal(0, await host.Pump.RunOnceAsync(CancellationToken.None));
        Assert.Equal(ApprovalState.Applying, (await LoadAsync(host)).CurrentState);
    }

    [Fact]
    public async Task A_leased_timer_is_not_claimed_again_until_its_lease_expires()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);
        Time.Advance(SampleApproval.ReminderAfter);

        var first = await host.Store.ClaimDueTimersAsync(Time.GetUtcNow(), "host-a", TimeSpan.FromSeconds(60), 10, CancellationToken.None);
        var second = await host.Store.ClaimDueTimersAsync(Time.GetUtcNow(), "host-b", TimeSpan.FromSeconds(60), 10, CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(61));
        var afterLease = await host.Store.ClaimDueTimersAsync(Time.GetUtcNow(), "host-b", TimeSpan.FromSeconds(60), 10, CancellationToken.None);

        Assert.Single(first);
        Assert.Empty(second);
        Assert.Equal(first[0].Id, Assert.Single(afterLease).Id);
        Assert.Equal("host-b", afterLease[0].LeaseOwner);
    }

    [Theory]
    [InlineData(60, 10)] // held past the next timer's due time: that one is next
    [InlineData(5, 5)] // held for less: it is next again when its lease ends
    public async Task A_timer_held_by_another_instance_is_next_due_when_its_lease_ends_not_at_its_due_time(int leaseSeconds, int nextInSeconds)
    {
        var host = await NewHostAsync();
        await CreateAsync(host, "a1");
        Time.Advance(TimeSpan.FromSeconds(10));
        await CreateAsync(host, "a2");
        Time.Advance(SampleApproval.ReminderAfter - TimeSpan.FromSeconds(10)); // a1's reminder is due now, a2's in 10 s

        var held = await host.Store.ClaimDueTimersAsync(Time.GetUtcNow(), "host-b", TimeSpan.FromSeconds(leaseSeconds), 1, CancellationToken.None);

        Assert.Equal(TimerRecord.IdFor(SampleApproval.Type, "a1", "reminder"), Assert.Single(held).Id);
        // Not a1's due time, already past: a pump told that would find nothing to claim and sleep until its next poll.
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromSeconds(nextInSeconds), await host.Store.NextTimerDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_free_timer_behind_more_held_ones_than_a_claim_round_takes_is_still_next_due()
    {
        var host = await NewHostAsync();
        for (var i = 0; i <= Timers.TimerPump.BatchSize; i++)
        {
            await CreateAsync(host, $"a{i:D2}");
            Time.Advance(TimeSpan.FromSeconds(1));
        }
        Time.Advance(SampleApproval.ReminderAfter);

        // Another instance holds the first round's worth of reminders for an hour; the last one is due and free.
        var held = await host.Store.ClaimDueTimersAsync(Time.GetUtcNow(), "host-b", TimeSpan.FromHours(1), Timers.TimerPump.BatchSize, CancellationToken.None);
        var free = TimerRecord.IdFor(SampleApproval.Type, $"a{Timers.TimerPump.BatchSize:D2}", "reminder");

        Assert.Equal(Timers.TimerPump.BatchSize, held.Count);
        Assert.DoesNotContain(held, t => t.Id == free);
        Assert.True(await host.Store.NextTimerDueAsync(CancellationToken.None) <= Time.GetUtcNow());
    }

    [Fact]
    public async Task Outbox_hands_out_only_the_head_of_each_channel()
    {
        var host = await NewHostAsync();
        await CreateAsync(host, "a1");
        await host.Engine.FireAsync(Trigger("a1", ApprovalTrigger.Approve, Ben), CancellationToken.None);

        var firstRound = await host.Store.ClaimOutboxAsync(Time.GetUtcNow(), "s1", TimeSpan.FromSeconds(60), 10, CancellationToken.None);
        var whileLeased = await host.Store.ClaimOutboxAsync(Time.GetUtcNow(), "s2", TimeSpan.FromSeconds(60), 10, CancellationToken.None);

        Assert.Equal("Approval request: @ana asks for approval: deploy api v42", Assert.Single(firstRound).Text);
        Assert.Empty(whileLeased);
    }

    [Fact]
    public async Task An_urgent_post_goes_ahead_of_the_posts_queued_before_it_and_the_others_keep_their_order()
    {
        var host = await NewHostAsync();
        OutboxMessage Post(string key, string text, string? under = null, bool urgent = false) => new()
        {
            Id = Guid.NewGuid().ToString("N"), Sequence = 0, Key = key, Channel = "C0OPS", Text = text, ThreadUnderKey = under, Urgent = urgent,
            CreatedAt = Time.GetUtcNow(),
        };
        var audit = new Bot.Workflows.Audit.AuditDraft { At = Time.GetUtcNow(), ActorId = "test", ActorName = "test", Action = "queue" };
        await host.Store.CommitAsync(new UnitOfWork { Audit = audit, Messages = [Post("card-1", "card 1"), Post("line-1", "line 1", under: "card-1"), Post("card-2", "card 2")] },
            CancellationToken.None);
        await host.Store.CommitAsync(new UnitOfWork { Audit = audit, Messages = [Post("digest", "storm digest", urgent: true), Post("line-2", "line 2", under: "card-2")] },
            CancellationToken.None);

        var head = Assert.Single(await host.Store.ClaimOutboxAsync(Time.GetUtcNow(), "s1", TimeSpan.FromSeconds(60), 10, CancellationToken.None));
        await host.Store.DeferOutboxAsync(head, Time.GetUtcNow(), "looked", CancellationToken.None);
        await host.DrainOutboxAsync();

        Assert.Equal("storm digest", head.Text);
        Assert.Equal(["storm digest", "card 1", "line 1", "card 2", "line 2"], host.Chat.Deliveries.Select(d => d.Text));
        Assert.Equal(host.Chat.Deliveries[1].Ts, host.Chat.Deliveries[2].ThreadTs);
    }

    [Fact]
    public async Task Messages_are_delivered_in_order_threaded_and_edited_in_place()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);
        await host.Engine.FireAsync(Trigger("a1", ApprovalTrigger.Approve, Ben), CancellationToken.None);

        await host.DrainOutboxAsync();

        // The card first; then its edit and its thread line, each in its lane (which of the two lands first does not matter).
        var d = host.Chat.Deliveries;
        Assert.Equal(("post", null), (d[0].Kind, d[0].ThreadTs));
        var edit = Assert.Single(d, x => x.Kind == "update");
        var line = Assert.Single(d, x => x.Kind == "post" && x.ThreadTs is not null);
        Assert.Equal(3, d.Count);
        Assert.Equal(d[0].Ts, edit.Ts);
        Assert.Equal(d[0].Ts, line.ThreadTs);
        Assert.Equal("Approval request: deploy api v42 — Applying by @ben", edit.Text);
        Assert.Equal("approved by @ben", line.Text);
        var sent = await host.Store.FindSentAsync(SampleApproval.Type + "/a1/card", CancellationToken.None);
        Assert.Equal(d[0].Ts, sent!.Ts);
    }

    [Fact]
    public async Task Channel_waits_a_second_between_messages_and_for_retry_after()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);
        await host.Engine.FireAsync(Trigger("a1", ApprovalTrigger.Approve, Ben), CancellationToken.None);

        Assert.Equal(1, await host.Sender.RunOnceAsync(CancellationToken.None)); // the card
        Assert.Equal(1, await host.Sender.RunOnceAsync(CancellationToken.None)); // its edit: edits are not paced by posts
        Assert.Equal(0, await host.Sender.RunOnceAsync(CancellationToken.None)); // the thread line: paced
        Time.Advance(TimeSpan.FromSeconds(1));
        host.Chat.FailNext(new ChatRateLimitedException(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await host.Sender.RunOnceAsync(CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await host.Sender.RunOnceAsync(CancellationToken.None)); // still held by Retry-After
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await host.Sender.RunOnceAsync(CancellationToken.None));
        Assert.Equal(["post", "update", "post"], host.Chat.Deliveries.Select(d => d.Kind));
    }

    [Fact]
    public async Task Standalone_audit_records_are_chained_and_listed_newest_first()
    {
        var host = await NewHostAsync();
        await host.Audit.AppendAsync(Draft(Ana, "command:/sb health"), CancellationToken.None);
        Time.Advance(TimeSpan.FromDays(2));
        await host.Audit.AppendAsync(Draft(Ben, "command:/sb cost"), CancellationToken.None);
        await host.Audit.AppendAsync(Draft(Ana, "command:/sb logs"), CancellationToken.None);

        var all = await host.Audit.ListAsync(new AuditQuery(), CancellationToken.None);
        var recentByAna = await host.Audit.ListAsync(new AuditQuery(Since: Time.GetUtcNow() - TimeSpan.FromDays(1), ActorId: Ana.UserId), CancellationToken.None);

        Assert.Equal([3L, 2L, 1L], all.Select(r => r.Sequence));
        Assert.Equal(all[1].Hash, all[0].PreviousHash);
        Assert.Equal(AuditChain.Genesis, all[2].PreviousHash);
        Assert.Equal(["command:/sb logs"], recentByAna.Select(r => r.Action));
        Assert.True((await host.Audit.VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task Tampering_with_a_stored_audit_record_is_found_by_verify()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);
        await host.Engine.FireAsync(Trigger("a1", ApprovalTrigger.Approve, Ben), CancellationToken.None);
        await host.Audit.AppendAsync(Draft(Ana, "command:/sb audit"), CancellationToken.None);
        var intact = await host.Audit.VerifyAsync(CancellationToken.None);
        Assert.Equal((true, 3L, (long?)null, (await ChainAsync(host))[^1].Hash), (intact.Intact, intact.CheckedRecords, intact.BrokenAt, intact.HeadHash));

        await TamperWithAuditAsync(2, "Reject");

        var verdict = await host.Audit.VerifyAsync(CancellationToken.None);
        Assert.False(verdict.Intact);
        Assert.Equal(2, verdict.BrokenAt);
        Assert.Contains("record #2 was changed", verdict.Problem);
    }

    [Fact]
    public async Task Two_hosts_racing_the_same_trigger_100_times_make_exactly_one_transition()
    {
        var hostA = await NewHostAsync();
        var hostB = await NewHostAsync();
        await CreateAsync(hostA);
        var auditBefore = (await ChainAsync(hostA)).Count;
        var outboxBefore = await hostA.Store.CountPendingOutboxAsync(CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() =>
            (i % 2 == 0 ? hostA : hostB).Engine.FireAsync(
                Trigger("a1", ApprovalTrigger.Reject, i % 3 == 0 ? Ben : Cy, key: $"click-{i}"), CancellationToken.None))));

        Assert.Equal(1, outcomes.Count(o => o.Kind == FireOutcomeKind.Transitioned));
        Assert.Equal(99, outcomes.Count(o => o.Kind == FireOutcomeKind.Refused));
        // One transition, and each refused click on the record (who tried what, and why not).
        var chain = await ChainAsync(hostB);
        Assert.Equal(auditBefore + 100, chain.Count);
        Assert.Equal(1, chain.Count(r => r.Action == "Reject"));
        Assert.Equal(99, chain.Count(r => r.Action == "Refused Reject"));
        // Reject edits the card and adds a timeline line: one transition's worth of messages.
        Assert.Equal(outboxBefore + 2, await hostB.Store.CountPendingOutboxAsync(CancellationToken.None));
        Assert.True((await hostB.Audit.VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task Two_hosts_sending_at_once_post_each_message_exactly_once()
    {
        var chat = new TestChat();
        var hostA = await NewHostAsync(chat);
        var hostB = await NewHostAsync(chat);
        for (var i = 0; i < 5; i++) await CreateAsync(hostA, $"a{i}");
        for (var i = 0; i < 5; i++) await hostA.Engine.FireAsync(Trigger($"a{i}", ApprovalTrigger.Approve, Ben), CancellationToken.None);

        for (var round = 0; round < 100 && await hostA.Store.CountPendingOutboxAsync(CancellationToken.None) > 0; round++)
        {
            await Task.WhenAll(hostA.Sender.RunOnceAsync(CancellationToken.None), hostB.Sender.RunOnceAsync(CancellationToken.None));
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        // 15 outbox messages, 15 chat calls: none twice.
        Assert.Equal(15, chat.Deliveries.Count);
        Assert.Equal(5, chat.Deliveries.Count(d => d.Kind == "post" && d.ThreadTs is null));
        Assert.Equal(5, chat.Deliveries.Where(d => d.Kind == "post" && d.ThreadTs is not null).Select(d => d.ThreadTs).Distinct().Count());
        Assert.Equal(5, chat.Deliveries.Where(d => d.Kind == "update").Select(d => d.Ts).Distinct().Count());
    }

    [Fact]
    public async Task The_same_click_arriving_100_times_at_two_hosts_is_processed_once()
    {
        var hostA = await NewHostAsync();
        var hostB = await NewHostAsync();
        await CreateAsync(hostA);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() =>
            (i % 2 == 0 ? hostA : hostB).Engine.FireAsync(Trigger("a1", ApprovalTrigger.Approve, Ben, key: "click:1700000000.000100"), CancellationToken.None))));

        Assert.Equal(1, outcomes.Count(o => o.Kind == FireOutcomeKind.Transitioned));
        Assert.Equal(99, outcomes.Count(o => o.Kind == FireOutcomeKind.Duplicate));
        Assert.Equal(2, (await ChainAsync(hostA)).Count);
        var later = await hostB.Engine.FireAsync(Trigger("a1", ApprovalTrigger.Approve, Ben, key: "click:1700000000.000100"), CancellationToken.None);
        Assert.Equal(FireOutcomeKind.Transitioned, later.Earlier?.Kind);
    }

    [Fact]
    public async Task A_record_tied_to_a_delivery_is_written_once_however_often_the_delivery_arrives_at_two_hosts()
    {
        var hostA = await NewHostAsync();
        var hostB = await NewHostAsync();

        var written = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            (i % 2 == 0 ? hostA : hostB).Audit.AppendOnceAsync(Draft(Ana, "command:/sb help"), "slack:cmd:T1.1", "answered in the ack", TimeSpan.FromDays(1), CancellationToken.None))));

        Assert.Single(written, r => r is not null);
        Assert.Single(await ChainAsync(hostA));
        Assert.Equal(new Bot.Workflows.Idempotency.IdempotencyClaim(false, "answered in the ack"),
            await hostB.Store.ClaimAsync("slack:cmd:T1.1", TimeSpan.FromDays(1), CancellationToken.None));
    }

    [Fact]
    public async Task A_record_tied_to_a_delivery_seen_before_writes_nothing_and_one_whose_key_expired_is_written()
    {
        var host = await NewHostAsync();
        Assert.True((await host.Store.ClaimAsync("slack:cmd:T2.1", TimeSpan.FromMinutes(5), CancellationToken.None)).IsFirst);
        await host.Store.CompleteAsync("slack:cmd:T2.1", "ok", CancellationToken.None);

        var replay = await host.Audit.AppendOnceAsync(Draft(Ana, "command:/sb help"), "slack:cmd:T2.1", "answered in the ack", TimeSpan.FromDays(1), CancellationToken.None);
        Time.Advance(TimeSpan.FromDays(2)); // the key's retention ran out long ago
        var later = await host.Audit.AppendOnceAsync(Draft(Ana, "command:/sb help"), "slack:cmd:T2.1", "answered in the ack", TimeSpan.FromDays(1), CancellationToken.None);

        Assert.Null(replay);
        Assert.NotNull(later);
        Assert.Single(await ChainAsync(host));
        Assert.True((await host.Audit.VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task Units_committed_at_the_same_moment_are_all_written_but_the_one_whose_check_fails()
    {
        var host = await NewHostAsync();
        Assert.True((await host.Store.ClaimAsync("slack:seen", TimeSpan.FromDays(1), CancellationToken.None)).IsFirst);
        await host.Store.CompleteAsync("slack:seen", "ok", CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(async () =>
        {
            var unit = new UnitOfWork { Audit = Draft(Ana, $"command:{i}"), Claim = new ClaimedKey(i == 13 ? "slack:seen" : $"slack:new{i}", "ok", TimeSpan.FromDays(1)) };
            try
            {
                await host.Store.CommitAsync(unit, CancellationToken.None);
                return true;
            }
            catch (AlreadyClaimedException)
            {
                return false;
            }
        })));

        Assert.Equal(Enumerable.Range(0, 30).Select(i => i != 13), outcomes);
        var chain = await ChainAsync(host);
        Assert.Equal(29, chain.Count);
        Assert.DoesNotContain(chain, r => r.Action == "command:13");
        Assert.True((await host.Audit.VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task A_claim_left_without_outcome_by_a_dead_process_can_be_taken_again_after_two_minutes()
    {
        var host = await NewHostAsync();
        Assert.True((await host.Store.ClaimAsync("slack:Ev1", TimeSpan.FromDays(1), CancellationToken.None)).IsFirst);
        // ... the process dies before recording an outcome.
        Assert.Equal(new Bot.Workflows.Idempotency.IdempotencyClaim(false, null), await host.Store.ClaimAsync("slack:Ev1", TimeSpan.FromDays(1), CancellationToken.None));

        Time.Advance(TimeSpan.FromMinutes(2));

        Assert.True((await host.Store.ClaimAsync("slack:Ev1", TimeSpan.FromDays(1), CancellationToken.None)).IsFirst);
    }

    [Fact]
    public async Task A_trigger_the_machine_does_not_know_is_refused_by_name()
    {
        var host = await NewHostAsync();
        await CreateAsync(host);
        var outcome = await host.Engine.FireAsync(new WorkflowTrigger(SampleApproval.Type, "a1", "Delete", Ben), CancellationToken.None);
        Assert.Equal(["A sample-approval has no step called Delete."], outcome.Reasons);
    }

    [Fact]
    public async Task Message_saved_by_a_host_that_died_before_posting_is_sent_once_after_restart()
    {
        var chat = new TestChat();
        var dying = await NewHostAsync(chat);
        await CreateAsync(dying);
        // The host dies here: saved, never posted. A restarted host (new store object) takes over.
        var restarted = await NewHostAsync(chat);

        await restarted.DrainOutboxAsync();
        await restarted.DrainOutboxAsync();

        Assert.Equal("Approval request: @ana asks for approval: deploy api v42", Assert.Single(chat.Deliveries).Text);
    }

    [Fact]
    public async Task Message_claimed_by_a_sender_that_died_is_sent_by_another_after_the_lease()
    {
        var chat = new TestChat();
        var dying = await NewHostAsync(chat);
        var survivor = await NewHostAsync(chat);
        await CreateAsync(dying);
        var claimed = await dying.Store.ClaimOutboxAsync(Time.GetUtcNow(), dying.Sender.Owner, TimeSpan.FromSeconds(60), 10, CancellationToken.None);
        Assert.Single(claimed); // ... and the process dies before calling Slack

        Assert.Equal(0, await survivor.Sender.RunOnceAsync(CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, await survivor.Sender.RunOnceAsync(CancellationToken.None));

        Assert.Single(chat.Deliveries);
    }

    [Fact]
    public async Task A_sender_that_lost_its_lease_records_its_delivery_but_leaves_the_message_to_the_new_holder()
    {
        var chat = new TestChat();
        var slow = await NewHostAsync(chat);
        var holder = await NewHostAsync(chat);
        await CreateAsync(slow);
        await slow.Engine.FireAsync(Trigger("a1", ApprovalTrigger.Approve, Ben), CancellationToken.None); // an edit of the card and a thread reply follow it
        var late = Assert.Single(await slow.Store.ClaimOutboxAsync(Time.GetUtcNow(), "slow-sender", TimeSpan.FromSeconds(60), 10, CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(61));
        var held = Assert.Single(await holder.Store.ClaimOutboxAsync(Time.GetUtcNow(), "holder", TimeSpan.FromSeconds(60), 10, CancellationToken.None));
        Assert.Equal(late.Id, held.Id);

        // The slow sender's post did reach chat; it reports so after its lease ran out.
        await slow.Store.CompleteOutboxAsync(late, new SentMessage(late.Key, late.Id, late.Channel, "1700000000.000042", Time.GetUtcNow()), Time.GetUtcNow(), CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(2));

        // The card is still the channel's head, held by its new holder: the edit and the thread reply must not overtake it.
        Assert.Empty(await slow.Store.ClaimOutboxAsync(Time.GetUtcNow(), "third-sender", TimeSpan.FromSeconds(60), 10, CancellationToken.None));
        Assert.Equal(3, await holder.Store.CountPendingOutboxAsync(CancellationToken.None));
        // The holder finds the delivery record, so it finishes the message without posting it again.
        var delivered = await holder.Store.FindSentAsync(held.Key, CancellationToken.None);
        Assert.Equal((held.Id, "1700000000.000042"), (delivered?.MessageId, delivered?.Ts));
        await holder.Store.CompleteOutboxAsync(held, delivered!, Time.GetUtcNow(), CancellationToken.None);
        await holder.DrainOutboxAsync();
        Assert.Equal([("post", "1700000000.000042"), ("update", "1700000000.000042")], chat.Deliveries.Select(d => (d.Kind, d.ThreadTs ?? d.Ts)).Order());
    }

    [Fact]
    public async Task A_sender_that_lost_its_lease_cannot_give_up_a_message_the_new_holder_is_delivering()
    {
        var slow = await NewHostAsync();
        var holder = await NewHostAsync();
        await CreateAsync(slow);
        var late = Assert.Single(await slow.Store.ClaimOutboxAsync(Time.GetUtcNow(), "slow-sender", TimeSpan.FromSeconds(60), 10, CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Single(await holder.Store.ClaimOutboxAsync(Time.GetUtcNow(), "holder", TimeSpan.FromSeconds(60), 10, CancellationToken.None));

        await slow.Store.FailOutboxAsync(late, "channel_not_found", CancellationToken.None);

        Assert.Equal(1, await holder.Store.CountPendingOutboxAsync(CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(61));
        await holder.DrainOutboxAsync();
        Assert.Equal("Approval request: @ana asks for approval: deploy api v42", Assert.Single(holder.Chat.Deliveries).Text);
    }

    [Fact]
    public async Task Timer_due_while_the_host_was_down_fires_after_it_comes_back()
    {
        var before = await NewHostAsync();
        await CreateAsync(before);
        // Down for two hours: the reminder and the expiry both fell due meanwhile.
        Time.Advance(TimeSpan.FromHours(2));
        var after = await NewHostAsync();

        await after.Pump.RunOnceAsync(CancellationToken.None);

        var approval = await LoadAsync(after);
        Assert.Equal(ApprovalState.Expired, approval.CurrentState);
        Assert.Null(await after.Store.NextTimerDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Timer_claimed_by_a_host_that_died_is_fired_by_another_after_the_lease()
    {
        var dying = await NewHostAsync();
        var survivor = await NewHostAsync();
        await CreateAsync(dying);
        Time.Advance(SampleApproval.ReminderAfter);
        Assert.Single(await dying.Store.ClaimDueTimersAsync(Time.GetUtcNow(), dying.Pump.Owner, TimeSpan.FromSeconds(60), 10, CancellationToken.None));

        Assert.Equal(0, await survivor.Pump.RunOnceAsync(CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, await survivor.Pump.RunOnceAsync(CancellationToken.None));

        Assert.Equal(1, (await LoadAsync(survivor)).Data.RemindersSent);
    }

    protected AuditDraft Draft(WorkflowActor actor, string action) =>
        new() { At = Time.GetUtcNow(), ActorId = actor.UserId, ActorName = actor.UserName, Action = action, RequestId = "req-" + action.Length };
}
