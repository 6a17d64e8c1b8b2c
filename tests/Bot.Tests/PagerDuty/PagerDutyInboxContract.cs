using Bot.Testing;
using Bot.Tests;
using Bot.PagerDuty;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.Testing.PagerDuty;
using Bot.Testing.Workflows;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Bot.Testing.DynamoDb;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.PagerDuty;

/// <summary>The durable PagerDuty inbox on every store (SQLite, DynamoDB Local), with a fake clock; "instances" are store objects on one database.</summary>
public abstract class PagerDutyInboxContract : IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero));
    private readonly RecordingEventSink _sink = new();
    private IWorkflowStore _store = null!;
    private PagerDutyInbox _inbox = null!;
    private ServiceProvider _services = null!;

    /// <summary>A new store object on this test's database (a second call is a second instance).</summary>
    protected abstract IWorkflowStore OpenStore(TimeProvider time);

    public async Task InitializeAsync()
    {
        _store = OpenStore(_time);
        await _store.InitializeAsync(CancellationToken.None);
        _inbox = new PagerDutyInbox(_store, _time);
        _services = new ServiceCollection().AddSingleton<IPagerDutyEventSink>(_sink).BuildServiceProvider();
    }

    public virtual async Task DisposeAsync() => await _services.DisposeAsync();

    public void Dispose()
    {
        _sink.Dispose();
        GC.SuppressFinalize(this);
    }

    private PagerDutyInboxProcessor Processor() => new(_store, _inbox, _services, _time, NullLogger<PagerDutyInboxProcessor>.Instance);

    private static (PagerDutyWebhookEvent Event, byte[] Body) Delivery(string eventId, string incidentId, string type = "incident.acknowledged")
    {
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event = new
            {
                id = eventId, event_type = type, resource_type = "incident", occurred_at = "2026-11-22T14:01:00Z",
                data = new { id = incidentId, type = "incident", status = "acknowledged" },
            },
        });
        return (PagerDutyWebhookParser.Parse(body, out _)!, body);
    }

    private Task<InboxAdmission> Admit(string webhookId, string eventId, string incidentId = "Q1", string type = "incident.acknowledged")
    {
        var (e, body) = Delivery(eventId, incidentId, type);
        return _inbox.AdmitAsync(webhookId, e, body, CancellationToken.None);
    }

    [Fact]
    public async Task A_stored_event_reaches_the_sink_once()
    {
        Assert.Equal(InboxAdmission.Stored, await Admit("wh-1", "ev-1"));

        Assert.Equal(1, await Processor().RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await Processor().RunOnceAsync(CancellationToken.None));

        var handled = Assert.Single(_sink.Events);
        Assert.Equal("ev-1", handled.Id);
        Assert.Equal("Q1", handled.IncidentId);
        Assert.Empty(await _store.ListPendingWorkAsync(PagerDutyInbox.Queue, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_delivery_is_stored_in_one_store_write()
    {
        var (store, spy) = StoreSpy.Wrap(_store);
        var inbox = new PagerDutyInbox(store, _time);
        var (e, body) = Delivery("ev-1", "Q1");

        Assert.Equal(InboxAdmission.Stored, await inbox.AdmitAsync("wh-1", e, body, CancellationToken.None));

        // A storm's webhooks wait for the store: the insert of the item is all (no claim of the delivery id, no outcome).
        Assert.Equal((1, 1), (spy.Total, spy.Count(nameof(IWorkQueueStore.EnqueueWorkAsync))));
    }

    [Fact]
    public async Task A_retried_delivery_is_recognised_by_its_event_id()
    {
        await Admit("wh-1", "ev-1");

        Assert.Equal(InboxAdmission.Duplicate, await Admit("wh-1", "ev-1"));
        await Processor().RunOnceAsync(CancellationToken.None);
        Assert.Equal(InboxAdmission.Duplicate, await Admit("wh-1", "ev-1"));

        Assert.Single(_sink.Events);
    }

    [Fact]
    public async Task The_same_event_from_a_second_subscription_is_recognised_by_its_event_id()
    {
        await Admit("wh-1", "ev-1");

        Assert.Equal(InboxAdmission.Duplicate, await Admit("wh-2", "ev-1"));
        await Processor().RunOnceAsync(CancellationToken.None);
        Assert.Equal(InboxAdmission.Duplicate, await Admit("wh-3", "ev-1"));

        Assert.Single(_sink.Events);
    }

    [Fact]
    public async Task Event_types_the_bot_does_not_act_on_are_acknowledged_but_not_stored()
    {
        Assert.Equal(InboxAdmission.Ignored, await Admit("wh-1", "ev-1", type: "service.updated"));

        Assert.Empty(await _store.ListPendingWorkAsync(PagerDutyInbox.Queue, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_sink_gets_the_event_again_after_a_backoff()
    {
        await Admit("wh-1", "ev-1");
        _sink.FailNext(1);

        Assert.Equal(0, await Processor().RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await Processor().RunOnceAsync(CancellationToken.None));
        _time.Advance(PagerDutyInboxProcessor.Backoff(1));
        Assert.Equal(1, await Processor().RunOnceAsync(CancellationToken.None));

        Assert.Equal("ev-1", Assert.Single(_sink.Events).Id);
    }

    [Fact]
    public async Task A_later_event_of_an_incident_waits_for_an_earlier_one_that_failed_while_other_incidents_go_on()
    {
        await Admit("wh-1", "ev-1", "Q1");
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await Admit("wh-2", "ev-2", "Q1", "incident.resolved");
        await Admit("wh-3", "ev-3", "Q2");
        _sink.FailNext(1);

        await Processor().RunOnceAsync(CancellationToken.None);
        Assert.Equal(["ev-3"], _sink.Events.Select(e => e.Id));

        _time.Advance(TimeSpan.FromMinutes(10));
        await Processor().RunOnceAsync(CancellationToken.None);
        await Processor().RunOnceAsync(CancellationToken.None);
        Assert.Equal(["ev-3", "ev-1", "ev-2"], _sink.Events.Select(e => e.Id));
    }

    /// <summary>Runs a round, then lets the longest backoff pass, until an event is given up (at most <paramref name="max"/> rounds); how many rounds it took.</summary>
    private async Task<int> RunUntilGivenUpAsync(int max = 200)
    {
        var rounds = 0;
        for (; rounds < max && (await _store.ListDeadWorkAsync(10, CancellationToken.None)).Count == 0; rounds++)
        {
            await Processor().RunOnceAsync(CancellationToken.None);
            _time.Advance(PagerDutyInboxProcessor.MaxBackoff);
        }
        return rounds;
    }

    [Fact]
    public async Task An_event_that_keeps_failing_is_retried_for_a_day_then_kept_as_a_dead_letter_that_no_longer_holds_its_incident_back()
    {
        await Admit("wh-1", "ev-1", "Q1");
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await Admit("wh-2", "ev-2", "Q1");
        _sink.FailNext(10_000);

        var rounds = await RunUntilGivenUpAsync();
        var dead = Assert.Single(await _store.ListDeadWorkAsync(10, CancellationToken.None));
        _sink.FailNext(0);
        for (var i = 0; i < 3; i++)
        {
            await Processor().RunOnceAsync(CancellationToken.None);
            _time.Advance(PagerDutyInboxProcessor.MaxBackoff);
        }

        // Not after 8 attempts (~8 minutes, what a short PagerDuty outage lasts): after a day of them.
        Assert.InRange(rounds * PagerDutyInboxProcessor.MaxBackoff, PagerDutyInboxProcessor.RetriedFor, PagerDutyInboxProcessor.RetriedFor + TimeSpan.FromHours(1));
        Assert.Equal(PagerDutyInbox.ItemId("ev-1"), dead.Id);
        Assert.Contains("InvalidOperationException: sink unavailable", dead.LastError, StringComparison.Ordinal);
        Assert.Equal(["ev-2"], _sink.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task An_event_that_waited_a_day_in_the_queue_is_not_given_up_at_its_first_failure()
    {
        // The bot was down for a day (or the queue was long): the event is old when it first fails.
        await Admit("wh-1", "ev-1", "Q1");
        _time.Advance(PagerDutyInboxProcessor.RetriedFor + TimeSpan.FromHours(1));
        _sink.FailNext(PagerDutyInboxProcessor.MaxAttempts - 1);

        for (var i = 0; i < PagerDutyInboxProcessor.MaxAttempts; i++)
        {
            await Processor().RunOnceAsync(CancellationToken.None);
            _time.Advance(PagerDutyInboxProcessor.MaxBackoff);
        }

        Assert.Empty(await _store.ListDeadWorkAsync(10, CancellationToken.None));
        Assert.Equal("ev-1", Assert.Single(_sink.Events).Id);
    }

    [Fact]
    public async Task A_replayed_dead_letter_is_tried_again_and_goes_before_its_incidents_later_events_still_waiting()
    {
        await Admit("wh-1", "ev-1", "Q1", "incident.triggered");
        _sink.BeforeHandle = e => e.Id == "ev-1" ? throw new InvalidOperationException("PagerDuty answered 503") : Task.CompletedTask;
        await RunUntilGivenUpAsync();
        var dead = Assert.Single(await _store.ListDeadWorkAsync(10, CancellationToken.None));
        // While it is a dead letter, its incident's next event goes through; the one after waits for its turn (a failure of its own).
        await Admit("wh-2", "ev-2", "Q1");
        await Processor().RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Admit("wh-3", "ev-3", "Q1", "incident.resolved");
        _sink.FailNext(1);
        await Processor().RunOnceAsync(CancellationToken.None);
        Assert.Equal(["ev-2"], _sink.Events.Select(e => e.Id));

        // PagerDuty is back; an admin replays it: it fails a few times more without being given up again at once, then goes through.
        _sink.BeforeHandle = null;
        _sink.FailNext(2);
        Assert.True(await _store.ReplayDeadWorkAsync(dead.Id, CancellationToken.None));
        Assert.False(await _store.ReplayDeadWorkAsync(dead.Id, CancellationToken.None));
        for (var i = 0; i < 6; i++)
        {
            await Processor().RunOnceAsync(CancellationToken.None);
            _time.Advance(PagerDutyInboxProcessor.MaxBackoff);
        }

        Assert.Empty(await _store.ListDeadWorkAsync(10, CancellationToken.None));
        Assert.Equal(["ev-2", "ev-1", "ev-3"], _sink.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task A_later_event_waiting_while_another_instance_handles_the_earlier_one_spends_no_attempts_and_backs_off()
    {
        await Admit("wh-1", "ev-1", "Q1");
        // Instance A is handling ev-1 (PagerDuty answers it slowly) when ev-2 arrives; instance B keeps finding ev-2 behind it.
        var slow = new Gate();
        _sink.BeforeHandle = e => e.Id == "ev-1" ? slow.PassAsync() : Task.CompletedTask;
        var (firstStore, firstSpy) = StoreSpy.Wrap(OpenStore(_time));
        var first = new PagerDutyInboxProcessor(firstStore, new PagerDutyInbox(firstStore, _time), _services, _time, NullLogger<PagerDutyInboxProcessor>.Instance);
        var running = Task.Run(() => first.RunOnceAsync(CancellationToken.None));
        await slow.Reached;
        var claimedAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await Admit("wh-2", "ev-2", "Q1", "incident.resolved");
        var secondStore = OpenStore(_time);
        var second = new PagerDutyInboxProcessor(secondStore, new PagerDutyInbox(secondStore, _time), _services, _time, NullLogger<PagerDutyInboxProcessor>.Instance);

        for (var round = 0; round < 3 * PagerDutyInboxProcessor.MaxAttempts; round++)
        {
            // A's heartbeat keeps its lease on ev-1 (each beat lands before B looks again).
            var beats = (int)((_time.GetUtcNow() - claimedAt) / (PagerDutyInboxProcessor.DefaultLease / 3));
            Assert.True(await Gate.UntilAsync(() => firstSpy.CountFinished(nameof(IWorkQueueStore.RenewWorkLeaseAsync)) >= beats));
            Assert.Equal(0, await second.RunOnceAsync(CancellationToken.None));
            // A round that only waited leaves nothing due at once: the pump sleeps instead of claiming ev-2 again and again.
            var later = Assert.Single(await _store.ListPendingWorkAsync(PagerDutyInbox.Queue, 10, CancellationToken.None), w => w.Id == PagerDutyInbox.ItemId("ev-2"));
            Assert.True(later.DueAt >= _time.GetUtcNow() + PagerDutyInboxProcessor.MinOrderWait);
            _time.Advance(PagerDutyInboxProcessor.MaxOrderWait);
        }
        var waiting = Assert.Single(await _store.ListPendingWorkAsync(PagerDutyInbox.Queue, 10, CancellationToken.None), w => w.Id == PagerDutyInbox.ItemId("ev-2"));
        slow.Open();
        await running;
        // One failure now (PagerDuty throttling) is one attempt, far from giving up.
        _sink.FailNext(1);
        _time.Advance(PagerDutyInboxProcessor.MaxOrderWait);
        await second.RunOnceAsync(CancellationToken.None);
        _time.Advance(PagerDutyInboxProcessor.Backoff(1));
        await second.RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, waiting.Attempts);
        Assert.Equal(["ev-1", "ev-2"], _sink.Events.Select(e => e.Id));
        Assert.Empty(await _store.ListDeadWorkAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task An_instance_whose_lease_on_an_event_passed_to_another_hands_it_to_nobody_when_it_resumes()
    {
        await Admit("wh-1", "ev-1", "Q1");
        // Instance A is paused (its clock stands still) after it claimed ev-1, at the renewal before it hands the event over.
        var paused = new Gate();
        var (aStore, _) = StoreSpy.Wrap(OpenStore(new FakeTimeProvider(_time.GetUtcNow())), m =>
        {
            if (m.Name == nameof(IWorkQueueStore.RenewWorkLeaseAsync)) paused.Pass();
        });
        var aClock = new FakeTimeProvider(_time.GetUtcNow());
        var a = new PagerDutyInboxProcessor(aStore, new PagerDutyInbox(aStore, aClock), _services, aClock, NullLogger<PagerDutyInboxProcessor>.Instance);

        var running = Task.Run(() => a.RunOnceAsync(CancellationToken.None));
        Assert.Same(paused.Reached, await Task.WhenAny(paused.Reached, running)); // A renews before it hands the event over
        _time.Advance(PagerDutyInboxProcessor.DefaultLease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Processor().RunOnceAsync(CancellationToken.None)); // B takes the event over and hands it on
        paused.Open();
        var byA = await running;

        Assert.Equal(0, byA);
        Assert.Equal(["ev-1"], _sink.Events.Select(e => e.Id));
        Assert.Empty(await _store.ListPendingWorkAsync(PagerDutyInbox.Queue, 10, CancellationToken.None));
        Assert.Empty(await _store.ListDeadWorkAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task An_event_in_doubt_is_delivered_again_without_counting_an_attempt()
    {
        await Admit("wh-1", "ev-1", "Q1");
        var inDoubt = 2 * PagerDutyInboxProcessor.MaxAttempts;
        _sink.BeforeHandle = _ => Interlocked.Decrement(ref inDoubt) >= 0 ? throw new Bot.Workflows.Engine.OutcomeInDoubtException("claimed, no outcome") : Task.CompletedTask;

        for (var round = 0; round < 2 * PagerDutyInboxProcessor.MaxAttempts; round++)
        {
            Assert.Equal(0, await Processor().RunOnceAsync(CancellationToken.None));
            _time.Advance(PagerDutyInboxProcessor.InDoubtWait);
        }
        Assert.Equal(0, Assert.Single(await _store.ListPendingWorkAsync(PagerDutyInbox.Queue, 10, CancellationToken.None)).Attempts);
        Assert.Equal(1, await Processor().RunOnceAsync(CancellationToken.None));

        Assert.Equal("ev-1", Assert.Single(_sink.Events).Id);
    }

    [Fact]
    public async Task An_event_given_up_is_a_dead_letter_with_its_last_error_and_replayable()
    {
        await Admit("wh-1", "ev-1", "Q1");
        _sink.FailNext(10_000);
        await RunUntilGivenUpAsync();
        _sink.FailNext(0);

        var dead = Assert.Single(await _store.ListDeadWorkAsync(10, CancellationToken.None));
        Assert.Equal((PagerDutyInbox.ItemId("ev-1"), PagerDutyInbox.Queue), (dead.Id, dead.Queue));
        Assert.Contains("sink unavailable", dead.LastError, StringComparison.Ordinal);
        Assert.Equal(1, (await _store.CountAllDeadLettersAsync(CancellationToken.None)).Work(PagerDutyInbox.Queue));
        Assert.Empty(_sink.Events);

        Assert.True(await _store.ReplayDeadWorkAsync(dead.Id, CancellationToken.None));
        Assert.Equal(1, await Processor().RunOnceAsync(CancellationToken.None));
        Assert.Equal("ev-1", Assert.Single(_sink.Events).Id);
        Assert.Empty(await _store.ListDeadWorkAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Two_instances_working_at_once_hand_each_event_over_once()
    {
        for (var i = 0; i < 120; i++)
        {
            await Admit($"wh-{i}", $"ev-{i}", $"Q{i % 7}");
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }
        var secondStore = OpenStore(_time);
        var secondInbox = new PagerDutyInbox(secondStore, _time);
        var second = new PagerDutyInboxProcessor(secondStore, secondInbox, _services, _time, NullLogger<PagerDutyInboxProcessor>.Instance);

        await Task.WhenAll(Processor().RunOnceAsync(CancellationToken.None), second.RunOnceAsync(CancellationToken.None));
        for (var round = 0; round < 200 && _sink.Events.Count < 120; round++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAll(Processor().RunOnceAsync(CancellationToken.None), second.RunOnceAsync(CancellationToken.None));
        }

        Assert.Equal(120, _sink.Events.Count);
        Assert.Equal(120, _sink.Events.Select(e => e.Id).Distinct().Count());
        foreach (var incident in _sink.Events.GroupBy(e => e.IncidentId))
            Assert.Equal(incident.Select(e => int.Parse(e.Id[3..])).Order(), incident.Select(e => int.Parse(e.Id[3..])));
    }

    [Fact]
    public async Task An_inbox_stopped_mid_round_finishes_the_event_under_way_and_gives_the_rest_back()
    {
        foreach (var id in new[] { "1", "2", "3" }) await Admit("wh-" + id, "ev-" + id, "Q" + id);
        using var stopping = new CancellationTokenSource();
        await using var services = new ServiceCollection().AddSingleton<IPagerDutyEventSink>(new StoppingSink(stopping, _sink)).BuildServiceProvider();
        var processor = new PagerDutyInboxProcessor(_store, _inbox, services, _time, NullLogger<PagerDutyInboxProcessor>.Instance);

        var handled = await processor.RunOnceAsync(stopping.Token);
        var takenAtOnce = await _store.ClaimWorkAsync(PagerDutyInbox.Queue, _time.GetUtcNow(), "other", TimeSpan.FromMinutes(1), 10, CancellationToken.None);

        Assert.Equal(1, handled);
        Assert.Equal(["ev-1"], _sink.Events.Select(e => e.Id));
        Assert.Equal([PagerDutyInbox.ItemId("ev-2"), PagerDutyInbox.ItemId("ev-3")], takenAtOnce.Select(w => w.Id).Order());
    }

    /// <summary>A sink that asks the host to stop as the first event reaches it (a shutdown mid-round), then handles it.</summary>
    private sealed class StoppingSink(CancellationTokenSource stopping, IPagerDutyEventSink inner) : IPagerDutyEventSink
    {
        public async Task HandleAsync(PagerDutyWebhookEvent webhookEvent, CancellationToken cancellationToken)
        {
            await stopping.CancelAsync();
            await inner.HandleAsync(webhookEvent, cancellationToken);
        }
    }
}

public sealed class SqlitePagerDutyInboxTests : PagerDutyInboxContract
{
    private readonly string _path = TestStorage.NewSqlitePath();

    protected override IWorkflowStore OpenStore(TimeProvider time) => new SqliteWorkflowStore(_path, time);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        TestStorage.Delete(_path);
    }
}

[Collection(Bot.Tests.Deploy.DynamoDbLocalCollection.Name)]
public sealed class DynamoDbPagerDutyInboxTests(DynamoDbLocalFixture dynamoDb) : PagerDutyInboxContract
{
    private readonly DynamoDbTestTable _table = new(dynamoDb);

    protected override IWorkflowStore OpenStore(TimeProvider time) => _table.NewStore(time);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _table.DeleteAsync();
    }
}
