using Bot.Testing;
using Bot.Workflows.Activities;
using Bot.Workflows.Audit;
using Bot.Workflows.Engine;
using Bot.Workflows.Outbox;
using Bot.Workflows.Roles;
using Bot.Workflows.Storage;
using Bot.Workflows.Timers;
using Bot.Workflows.Wakeups;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Testing.Workflows;

/// <summary>
/// One "bot host" as far as workflows go: its own store object, engine, timer pump, outbox sender and activity runner.
/// The users of the tests (U0ANA, U0BEN, U0CY) hold the approver role unless a test changes <see cref="Directory"/>.
/// </summary>
public sealed class WorkflowHost
{
    public static readonly WorkflowRegistry Registry = new([SampleApproval.Definition]);

    public WorkflowHost(IWorkflowStore store, FakeTimeProvider time, TestChat? chat = null, TestDirectory? directory = null, SampleWorld? world = null)
    {
        Store = store;
        Time = time;
        Chat = chat ?? new TestChat();
        Directory = directory ?? new TestDirectory().Grant("U0ANA", Role.Approver).Grant("U0BEN", Role.Approver).Grant("U0CY", Role.Approver);
        World = world ?? new SampleWorld();
        Engine = new WorkflowEngine(store, Registry, Directory, time, NullLogger<WorkflowEngine>.Instance, Signals);
        Pump = new TimerPump(store, Engine, time, NullLogger<TimerPump>.Instance, Signals);
        Sender = new OutboxSender(store, Chat, time, NullLogger<OutboxSender>.Instance, Signals);
        Runner = new ActivityRunner(store, Engine, new ActivityCatalog([new ApplyTitleHandler(World)]), time, NullLogger<ActivityRunner>.Instance, Signals);
        Audit = new AuditLog(store);
    }

    /// <summary>The wake-up calls the engine gives the pumps of this host after each commit.</summary>
    public WorkSignals Signals { get; } = new();

    public IWorkflowStore Store { get; }
    public FakeTimeProvider Time { get; }
    public TestChat Chat { get; }
    public TestDirectory Directory { get; }
    public SampleWorld World { get; }
    public WorkflowEngine Engine { get; }
    public TimerPump Pump { get; }
    public OutboxSender Sender { get; }
    public ActivityRunner Runner { get; }
    public AuditLog Audit { get; }

    /// <summary>Runs the sender round after round, advancing fake time by a second between rounds, until the outbox is empty.</summary>
    public async Task DrainOutboxAsync(int maxRounds = 200)
    {
        for (var i = 0; i < maxRounds; i++)
        {
            await Sender.RunOnceAsync(CancellationToken.None);
            if (await Store.CountPendingOutboxAsync(CancellationToken.None) == 0) return;
            Time.Advance(TimeSpan.FromSeconds(1));
        }
        throw new InvalidOperationException($"The outbox did not drain in {maxRounds} rounds.");
    }
}
