using Bot.Testing;
using Bot.Tests;
using System.Text.Json;
using Bot.Testing.Workflows;
using Bot.Tests.Hosting;
using Bot.Testing.Slack;
using Bot.Tests.Slack;
using Bot.Testing.DynamoDb;
using Bot.Workflows.Audit;
using Bot.Workflows.Engine;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.Deploy;

/// <summary><c>deploy/iam-policy.json</c> grants the bot's state table exactly the DynamoDB actions a working store's calls need.</summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoDbStorePermissionsTests(DynamoDbLocalFixture dynamoDb) : IAsyncLifetime
{
    private readonly DynamoDbTestTable _table = new(dynamoDb);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero));

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _table.DeleteAsync();

    /// <summary>The IAM actions a recorded request needs: a transaction needs those of the writes it carries.</summary>
    private static IEnumerable<string> ActionsOf(string operation, string body)
    {
        if (operation != "TransactWriteItems") return [operation];
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("TransactItems").EnumerateArray()
            .SelectMany(i => i.EnumerateObject().Select(p => p.Name switch
            {
                "Put" => "PutItem",
                "Update" => "UpdateItem",
                "Delete" => "DeleteItem",
                "ConditionCheck" => "ConditionCheckItem",
                var other => other,
            }))
            .ToList();
    }

    [Fact]
    public async Task Every_call_of_a_working_store_is_granted_on_the_state_table()
    {
        var setup = _table.NewStore(_time);
        await setup.InitializeAsync(CancellationToken.None); // creating the table is the operator's job (or Store__CreateTable's)
        var wire = new DynamoDbWire();
        var host = new WorkflowHost(_table.NewStore(_time, wire), _time);
        await host.Store.InitializeAsync(CancellationToken.None);

        var ana = new WorkflowActor("U0ANA", "ana");
        await host.Engine.CreateAsync(SampleApproval.New("a1", "C0OPS", "deploy api v42", ana), ana, "req-1", "slack:create-1", CancellationToken.None);
        _time.Advance(SampleApproval.ReminderAfter);
        await host.Pump.RunOnceAsync(CancellationToken.None);
        await host.Engine.FireAsync(new WorkflowTrigger(SampleApproval.Type, "a1", nameof(ApprovalTrigger.Approve), new("U0BEN", "ben")) { IdempotencyKey = "slack:click-1" }, CancellationToken.None);
        host.Chat.FailNext(new Bot.Workflows.Ports.ChatDeliveryException("channel_not_found", transient: false));
        await host.Sender.RunOnceAsync(CancellationToken.None);
        await host.DrainOutboxAsync();
        await host.Audit.ListAsync(new AuditQuery(ActorId: "U0BEN"), CancellationToken.None);
        await host.Audit.VerifyAsync(CancellationToken.None);
        var work = new WorkItem { Queue = WorkQueues.Inbound, Id = "pd-1", PayloadJson = "{}", CreatedAt = _time.GetUtcNow(), DueAt = _time.GetUtcNow() };
        await host.Store.EnqueueWorkAsync(work, CancellationToken.None);
        var claimed = await host.Store.ClaimWorkAsync(WorkQueues.Inbound, _time.GetUtcNow(), "h", TimeSpan.FromMinutes(1), 10, CancellationToken.None);
        await host.Store.DeferWorkAsync(claimed[0], _time.GetUtcNow(), "later", CancellationToken.None);
        await host.Store.ListPendingWorkAsync(WorkQueues.Inbound, 10, CancellationToken.None);
        await host.Store.NextWorkDueAsync(WorkQueues.Inbound, CancellationToken.None);
        await host.Store.CompleteWorkAsync(new WorkCompletion("pd-1", "done", _time.GetUtcNow() + TimeSpan.FromDays(1)), CancellationToken.None);
        // What status, metrics and shutdown use.
        await host.Engine.CreateAsync(SampleApproval.New("a2", "C0OPS", "deploy web v7", ana), ana, "req-2", null, CancellationToken.None);
        _time.Advance(SampleApproval.ReminderAfter);
        foreach (var timer in await host.Store.ClaimDueTimersAsync(_time.GetUtcNow(), "h", TimeSpan.FromMinutes(1), 10, CancellationToken.None))
            await host.Store.ReleaseTimerAsync(timer, CancellationToken.None);
        await host.Store.CountDueTimersAsync(_time.GetUtcNow(), CancellationToken.None);
        await host.Store.CountDeadLettersAsync(CancellationToken.None);
        await host.Store.RecordInstanceAsync(new InstanceRecord("i-1", "h", "1.0.0", _time.GetUtcNow(), _time.GetUtcNow()), CancellationToken.None);
        await host.Store.ListInstancesAsync(_time.GetUtcNow() - TimeSpan.FromMinutes(2), CancellationToken.None);

        var needed = wire.Requests.SelectMany(r => ActionsOf(r.Operation, r.Body)).Select(a => "dynamodb:" + a).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Contains("dynamodb:PutItem", needed);
        Assert.Equal(AwsActions.StateTable().Order(StringComparer.Ordinal), needed);
    }
}
