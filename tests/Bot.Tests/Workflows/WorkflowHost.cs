using Bot.Workflows.Audit;
using Bot.Workflows.Engine;
using Bot.Workflows.Outbox;
using Bot.Workflows.Storage;
using Bot.Workflows.Timers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.Workflows;

/// <summary>One "bot host" as far as workflows go: its own store object, engine, timer pump and outbox sender.</summary>
public sealed class WorkflowHost
{
    public static readonly WorkflowRegistry Registry = new([SampleApproval.Definition]);

    public WorkflowHost(IWorkflowStore store, FakeTimeProvider time, TestChat? chat = null)
    {
        Store = store;
        Time = time;
        Chat = chat ?? new TestChat();
        Engine = new WorkflowEngine(store, Registry, time, NullLogger<WorkflowEngine>.Instance);
        Pump = new TimerPump(store, Engine, time, NullLogger<TimerPump>.Instance);
        Sender = new OutboxSender(store, Chat, time, NullLogger<OutboxSender>.Instance);
        Audit = new AuditLog(store);
    }

    public IWorkflowStore Store { get; }
    public FakeTimeProvider Time { get; }
    public TestChat Chat { get; }
    public WorkflowEngine Engine { get; }
    public TimerPump Pump { get; }
    public OutboxSender Sender { get; }
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
