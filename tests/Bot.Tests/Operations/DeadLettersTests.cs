using Bot.Commands.Access;
using Bot.Commands.Outbox;
using Bot.Commands.Routing;
using Bot.Commands.Status;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.Operations;
using Bot.PagerDuty;
using Bot.Testing;
using Bot.Testing.Commands;
using Bot.Testing.PagerDuty;
using Bot.Testing.Slack;
using Bot.Testing.Workflows;
using Bot.Workflows;
using Bot.Workflows.Audit;
using Bot.Workflows.DeadLettering;
using Bot.Workflows.Engine;
using Bot.Workflows.Roles;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Bot.Workflows.Wakeups;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.Operations;

/// <summary>
/// One dead-letter model: a poisoned timer, activity and PagerDuty event are each given up after their attempts, and then
/// <c>/sb status</c> counts them by kind, <c>/sb deadletters</c> lists them with their last error, and a replay runs them again.
/// Real store (SQLite), engine, pumps, inbox and commands; a fake clock.
/// </summary>
public sealed class DeadLettersTests : IAsyncLifetime, IDisposable
{
    private static readonly WorkflowActor Ana = new("U0ANA", "ana");
    private static readonly WorkflowActor Ben = new("U0BEN", "ben");

    private readonly string _path = TestStorage.NewSqlitePath();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingEventSink _sink = new();
    private SqliteWorkflowStore _store = null!;
    private WorkflowHost _host = null!;
    private PagerDutyInbox _inbox = null!;
    private PagerDutyInboxProcessor _processor = null!;
    private ServiceProvider _services = null!;
    private CommandRouter _router = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteWorkflowStore(_path, _time);
        await _store.InitializeAsync(CancellationToken.None);
        _host = new WorkflowHost(_store, _time);
        _services = new ServiceCollection().AddSingleton<IPagerDutyEventSink>(_sink).BuildServiceProvider();
        _inbox = new PagerDutyInbox(_store, _store, _time, _host.Signals);
        _processor = new PagerDutyInboxProcessor(_store, _inbox, _services, _time, NullLogger<PagerDutyInboxProcessor>.Instance);
        var roles = new RoleGate(new TestDirectory().Grant("U0ADM", Role.Admin));
        _router = new CommandRouter([new DeadLettersCommand(new DeadLetters(_store, _time, _host.Signals), _host.Audit, roles, _time)], NullLogger<CommandRouter>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        TestStorage.Delete(_path);
    }

    public void Dispose() => _sink.Dispose();

    private async Task<string> RunAsync(string text)
    {
        var reply = new RecordingReplyChannel();
        await _router.DispatchAsync(new CommandRequest
        {
            Command = "/sb", Text = text, User = new Actor("U0ADM", "adm"), ChannelId = "C0OPS", Transport = Transport.Shell, RequestId = "req-1",
        }, reply, CancellationToken.None);
        return Assert.Single(reply.Responses).AsSlack().Text;
    }

    private async Task<string> StatusAsync()
    {
        var monitor = new OperationsMonitor(_store, _store, _store, new BotInstance(_time), Options.Create(new StoreOptions()), Options.Create(new OperationsOptions()), _time,
            NullLogger<OperationsMonitor>.Instance);
        var instance = new BotInstance(_time);
        var report = new BotStatusReport(BotInstance.Version, instance.Host, instance.Id, TimeSpan.Zero, await monitor.ReadAsync(CancellationToken.None), [], null);
        return new StatusCommand(null!, _time).Render(report).ToPlainText();
    }

    /// <summary>Makes <paramref name="id"/>'s record unreadable; returns how to put it right again.</summary>
    private async Task<Func<Task>> PoisonAsync(string id)
    {
        var good = (await _store.LoadAsync(SampleApproval.Type, id, CancellationToken.None))!;
        var draft = new AuditDraft { At = _time.GetUtcNow(), ActorId = "test", ActorName = "test", Action = "corrupt" };
        await _store.CommitAsync(new UnitOfWork { Aggregate = good with { Data = "{not json", Version = good.Version + 1 }, ExpectedVersion = good.Version, Audit = draft },
            CancellationToken.None);
        return () => _store.CommitAsync(new UnitOfWork { Aggregate = good with { Version = good.Version + 2 }, ExpectedVersion = good.Version + 1, Audit = draft with { Action = "repair" } },
            CancellationToken.None);
    }

    [Fact]
    public async Task A_poisoned_timer_activity_and_pagerduty_event_are_counted_by_status_listed_and_replayed()
    {
        // A timer whose aggregate cannot be read, an activity whose result cannot be reported, an event the sink always refuses.
        await _host.Engine.CreateAsync(SampleApproval.New("t1", "C0OPS", "release t1", Ana), Ana, null, null, CancellationToken.None);
        await _host.Engine.CreateAsync(SampleApproval.New("a1", "C0OPS", "release a1", Ana), Ana, null, null, CancellationToken.None);
        await _host.Engine.FireAsync(WorkflowTrigger.For(SampleApproval.Type, "a1", ApprovalTrigger.Approve, Ben), CancellationToken.None);
        var repairTimer = await PoisonAsync("t1");
        var repairActivity = await PoisonAsync("a1");
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event = new { id = "ev-1", event_type = "incident.acknowledged", resource_type = "incident", occurred_at = "2026-11-30T09:00:00Z", data = new { id = "Q1", type = "incident" } },
        });
        await _inbox.AdmitAsync("wh-1", PagerDutyWebhookParser.Parse(body, out _)!, body, CancellationToken.None);
        _sink.FailNext(1000);
        _time.Advance(SampleApproval.ReminderAfter);

        for (var round = 0; round < 40 && (await _store.CountAllDeadLettersAsync(CancellationToken.None)).Total < 3; round++)
        {
            await _host.Pump.RunOnceAsync(CancellationToken.None);
            await _host.Runner.RunOnceAsync(CancellationToken.None);
            await _processor.RunOnceAsync(CancellationToken.None);
            _time.Advance(Bot.Workflows.Engine.OutcomeInDoubtException.AbandonedAfter);
        }

        var status = await StatusAsync();
        Assert.Contains("Dead letters: 3 (1 timer, 1 change activity, 1 PagerDuty event)", status);
        var listed = await RunAsync("deadletters");
        Assert.Contains("3 given up (dead letters)", listed);
        Assert.Contains($"timer `{SampleApproval.Type}/t1/reminder`", listed);
        Assert.Contains($"change activity `{SampleApproval.Type}/a1/apply@2`", listed);
        Assert.Contains($"PagerDuty event `{PagerDutyInbox.ItemId("ev-1")}`", listed);
        Assert.Contains("sink unavailable", listed);
        Assert.Contains("JsonReaderException", listed); // the record is read as a JSON node first (rolling deploys keep unknown fields)

        await repairTimer();
        await repairActivity();
        _sink.FailNext(0);
        var replayed = await RunAsync("deadletters replay all");
        Assert.Contains("Replayed 3 dead letter(s)", replayed);
        await _host.Pump.RunOnceAsync(CancellationToken.None);
        await _host.Runner.RunOnceAsync(CancellationToken.None);
        await _processor.RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, (await _store.CountAllDeadLettersAsync(CancellationToken.None)).Total);
        Assert.Contains("Dead letters: 0", await StatusAsync());
        Assert.Contains("Nothing was given up", await RunAsync("deadletters"));
        Assert.Equal("ev-1", Assert.Single(_sink.Events).Id);
        var restored = (SampleApproval)SampleApproval.Definition.Restore((await _store.LoadAsync(SampleApproval.Type, "a1", CancellationToken.None))!);
        Assert.Equal(ApprovalState.Applied, restored.CurrentState);
        var reminded = (SampleApproval)SampleApproval.Definition.Restore((await _store.LoadAsync(SampleApproval.Type, "t1", CancellationToken.None))!);
        Assert.Equal(1, reminded.Data.RemindersSent);
        Assert.Single(await _host.Audit.ListAsync(new AuditQuery { Limit = 50 }, CancellationToken.None), r => r.Action == "deadletters:replay" && r.ActorId == "U0ADM");
    }
}
