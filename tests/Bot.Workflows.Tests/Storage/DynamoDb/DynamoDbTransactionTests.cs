using Bot.Workflows.Tests.Storage;
using Bot.Workflows.Tests.Outbox;
using Bot.Workflows.Tests.Engine;
using Bot.Workflows.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Testing.DynamoDb;
using Bot.Testing;
using Amazon.DynamoDBv2.Model;
using Bot.Workflows.Audit;
using Bot.Workflows.Engine;
using Bot.Workflows.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Workflows.Tests.Storage.DynamoDb;

/// <summary>
/// What the DynamoDB store promises beyond the shared contract: one unit of work is one atomic write, whatever
/// happens to the writer or to the network around it, and what DynamoDB cannot hold is refused up front.
/// </summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class DynamoDbTransactionTests(DynamoDbLocalFixture dynamoDb) : IAsyncLifetime
{
    private static readonly WorkflowActor Ana = new("U0ANA", "ana");
    private static readonly WorkflowActor Ben = new("U0BEN", "ben");
    private readonly DynamoDbTestTable _table = new(dynamoDb);
    private FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero));

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _table.DeleteAsync();

    private async Task<WorkflowHost> NewHostAsync(DynamoDbWire? wire = null, TestChat? chat = null)
    {
        var store = _table.NewStore(Time, wire);
        await store.InitializeAsync(CancellationToken.None);
        return new WorkflowHost(store, Time, chat);
    }

    private static Task<FireOutcome> CreateAsync(WorkflowHost host) =>
        host.Engine.CreateAsync(SampleApproval.New("a1", "C0OPS", "deploy api v42", Ana), Ana, "req-create", null, CancellationToken.None);

    private static Task<FireOutcome> ApproveAsync(WorkflowHost host) =>
        host.Engine.FireAsync(new WorkflowTrigger(SampleApproval.Type, "a1", nameof(ApprovalTrigger.Approve), Ben) { RequestId = "req-approve" }, CancellationToken.None);

    /// <summary>The sort key of audit record <paramref name="sequence"/>, as it appears in a request body.</summary>
    private static string Entry(long sequence) => $"\"E#{sequence:D12}\"";

    private static async Task<List<AuditRecord>> ChainAsync(WorkflowHost host)
    {
        var list = new List<AuditRecord>();
        await foreach (var r in host.Store.ReadAuditChainAsync(CancellationToken.None)) list.Add(r);
        return list;
    }

    private AuditDraft Draft(string action) => new() { At = Time.GetUtcNow(), ActorId = Ana.UserId, ActorName = Ana.UserName, Action = action };

    [Fact]
    public async Task A_writer_paused_after_its_commit_never_brings_back_a_timer_that_a_later_transition_cancelled()
    {
        var landed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var wire = new DynamoDbWire
        {
            AfterServerAnswered = async (operation, body) =>
            {
                if (DynamoDbWire.IsWrite(operation) && body.Contains(Entry(1), StringComparison.Ordinal) && landed.TrySetResult()) await resume.Task;
            },
        };
        var paused = await NewHostAsync(wire);
        var other = await NewHostAsync();

        var creating = CreateAsync(paused);
        await landed.Task; // the creation (request message, reminder and expiry timers) reached DynamoDB; its writer is paused
        Assert.True((await ApproveAsync(other)).IsTransitioned); // approval cancels both timers
        resume.SetResult();

        Assert.True((await creating).IsTransitioned);
        Assert.Null(await other.Store.NextTimerDueAsync(CancellationToken.None));
        Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await other.Pump.RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_commit_whose_answer_was_lost_is_recognised_when_the_SDK_sends_it_again()
    {
        var lost = 0;
        var wire = new DynamoDbWire
        {
            AfterServerAnswered = (operation, body) =>
                DynamoDbWire.IsWrite(operation) && body.Contains(Entry(2), StringComparison.Ordinal) && Interlocked.Increment(ref lost) == 1
                    ? throw new HttpRequestException("the connection was reset before the answer arrived", new IOException("connection reset"))
                    : Task.CompletedTask,
        };
        var host = await NewHostAsync(wire);
        await CreateAsync(host);

        var outcome = await ApproveAsync(host);

        Assert.True(wire.Requests.Count(r => DynamoDbWire.IsWrite(r.Operation) && r.Body.Contains(Entry(2), StringComparison.Ordinal)) >= 2, "the SDK sent the commit again");
        Assert.Equal((FireOutcomeKind.Transitioned, "Applying", 2L), (outcome.Kind, outcome.To, outcome.AuditSequence));
        var record = await host.Store.LoadAsync(SampleApproval.Type, "a1", CancellationToken.None);
        Assert.Equal(("Applying", 2L), (record?.State, record?.Version));
        Assert.Equal(["Create", "Approve"], (await ChainAsync(host)).Select(r => r.Action));
        Assert.Equal(3, await host.Store.CountPendingOutboxAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_writer_that_died_before_hearing_its_commit_answered_left_it_whole_for_the_next_host()
    {
        var wire = new DynamoDbWire();
        wire.AfterServerAnswered = (operation, body) =>
        {
            if (!DynamoDbWire.IsWrite(operation) || !body.Contains(Entry(1), StringComparison.Ordinal)) return Task.CompletedTask;
            wire.Dead = true;
            throw new ProcessDiedException();
        };
        var dying = await NewHostAsync(wire);
        await Assert.ThrowsAnyAsync<Exception>(() => CreateAsync(dying));

        var next = await NewHostAsync();
        var record = await next.Store.LoadAsync(SampleApproval.Type, "a1", CancellationToken.None);
        await next.DrainOutboxAsync();

        Assert.Equal(("Pending", 1L), (record?.State, record?.Version));
        Assert.Single(next.Chat.Deliveries);
        Assert.Equal(Time.GetUtcNow() + SampleApproval.ReminderAfter, await next.Store.NextTimerDueAsync(CancellationToken.None));
        Assert.True((await next.Audit.VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task A_unit_of_work_that_can_never_be_written_is_refused_and_holds_up_no_one()
    {
        var host = await NewHostAsync();
        var tooLongKey = "slack:" + new string('k', 3000); // DynamoDB keys hold at most 2048 bytes
        var work = new UnitOfWork
        {
            Audit = Draft("command:/sb health"),
            Idempotency = new IdempotencyOutcome(tooLongKey, FireOutcome.NotFound("x", "y"), Time.GetUtcNow() + TimeSpan.FromDays(1)),
        };

        var refused = await Assert.ThrowsAsync<StoreLimitExceededException>(() => host.Store.CommitAsync(work, CancellationToken.None));

        Assert.Contains("2048", refused.Message);
        var other = await NewHostAsync();
        await other.Audit.AppendAsync(Draft("command:/sb cost"), CancellationToken.None);
        Assert.True((await CreateAsync(other)).IsTransitioned);
        Assert.Equal(["command:/sb cost", "Create"], (await ChainAsync(host)).Select(r => r.Action));
        Assert.True((await host.Audit.VerifyAsync(CancellationToken.None)).Intact);
    }

    [Theory]
    [InlineData(1, 410_000, "400 KB")]
    [InlineData(120, 10, "100 actions")]
    [InlineData(12, 350_000, "4 MB")]
    public async Task A_unit_of_work_over_DynamoDB_limits_is_refused_before_anything_is_written(int messages, int textLength, string limit)
    {
        var host = await NewHostAsync();
        await CreateAsync(host);
        var work = new UnitOfWork
        {
            Audit = Draft("command:/sb report"),
            Messages = Enumerable.Range(0, messages).Select(i => new OutboxMessage
            {
                Id = $"m{i}", Sequence = i, Key = $"m{i}", Channel = "C0OPS", Text = new string('x', textLength), CreatedAt = Time.GetUtcNow(),
            }).ToList(),
        };

        var refused = await Assert.ThrowsAsync<StoreLimitExceededException>(() => host.Store.CommitAsync(work, CancellationToken.None));

        Assert.Contains(limit, refused.Message);
        Assert.Single(await ChainAsync(host));
        Assert.Equal(1, await host.Store.CountPendingOutboxAsync(CancellationToken.None));
        await host.Audit.AppendAsync(Draft("command:/sb health"), CancellationToken.None);
        Assert.True((await host.Audit.VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task Audit_entries_hold_only_the_record_and_audit_reads_fetch_only_its_fields()
    {
        var wire = new DynamoDbWire();
        var host = await NewHostAsync(wire);
        await CreateAsync(host);
        await ApproveAsync(host);

        using var client = _table.NewClient();
        var stored = (await client.GetItemAsync(new GetItemRequest
        {
            TableName = _table.Name, ConsistentRead = true,
            Key = new() { ["pk"] = new AttributeValue { S = "AUDIT" }, ["sk"] = new AttributeValue { S = "E#000000000002" } },
        })).Item;
        Assert.Empty(stored.Keys.Except(AuditAttributes));
        Assert.Contains("hash", stored.Keys);

        await host.Audit.ListAsync(new AuditQuery(), CancellationToken.None);
        Assert.True((await host.Audit.VerifyAsync(CancellationToken.None)).Intact);
        var auditReads = wire.Requests.Where(r => r.Operation == "Query" && r.Body.Contains("\"AUDIT\"", StringComparison.Ordinal)).ToList();
        Assert.True(auditReads.Count >= 2, "the list and the verification read the audit partition");
        Assert.All(auditReads, r => Assert.Contains("\"ProjectionExpression\"", r.Body));
    }

    private static readonly string[] AuditAttributes =
        ["pk", "sk", "seq", "at", "actorId", "actorName", "action", "aggregateType", "aggregateId", "before", "after", "requestId", "details", "prevHash", "hash"];
}
