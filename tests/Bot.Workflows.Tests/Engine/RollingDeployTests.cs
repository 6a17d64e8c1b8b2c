using System.Text.Json.Nodes;
using Bot.Testing;
using Bot.Testing.Workflows;
using Bot.Workflows.Audit;
using Bot.Workflows.Engine;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Bot.Workflows.Wakeups;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Workflows.Tests.Engine;

/// <summary>
/// A rolling deploy runs two versions of the bot on one store for a while. This version plays the older one: fields a newer
/// version wrote survive its round trip, and a record in a form or state it does not know is refused and left for the newer
/// one — never failed, given up or spent.
/// </summary>
public sealed class RollingDeployTests : IAsyncLifetime
{
    private static readonly WorkflowActor Ana = new("U0ANA", "ana");
    private readonly string _path = TestStorage.NewSqlitePath();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private WorkflowHost _host = null!;

    public async Task InitializeAsync()
    {
        var store = new SqliteWorkflowStore(_path, _time);
        await store.InitializeAsync(CancellationToken.None);
        _host = new WorkflowHost(store, _time);
        await _host.Engine.CreateAsync(SampleApproval.New("a1", "C0OPS", "release a1", Ana), Ana, null, null, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        TestStorage.Delete(_path);
        return Task.CompletedTask;
    }

    /// <summary>What a newer version would have written: <paramref name="change"/> applied to a1's stored JSON (and its state).</summary>
    private async Task<AggregateRecord> WriteAsNewerAsync(Action<JsonObject> change, string? state = null)
    {
        var record = (await _host.Store.LoadAsync(SampleApproval.Type, "a1", CancellationToken.None))!;
        var json = JsonNode.Parse(record.Data)!.AsObject();
        change(json);
        var newer = record with { Data = json.ToJsonString(), State = state ?? record.State, Version = record.Version + 1 };
        await _host.Store.CommitAsync(new UnitOfWork
        {
            Aggregate = newer, ExpectedVersion = record.Version,
            Audit = new AuditDraft { At = _time.GetUtcNow(), ActorId = "newer", ActorName = "newer", Action = "newer version" },
        }, CancellationToken.None);
        return newer;
    }

    [Fact]
    public async Task Fields_a_newer_version_wrote_survive_a_transition_made_by_this_one()
    {
        await WriteAsNewerAsync(json =>
        {
            json["data"]!["approvalsNeeded"] = 2;
            json["data"]!["checklist"] = new JsonObject { ["runbook"] = "read" };
            json["signedBy"] = "kms-key-1";
        });

        _time.Advance(SampleApproval.ReminderAfter);
        Assert.Equal(1, await _host.Pump.RunOnceAsync(CancellationToken.None));

        var stored = JsonNode.Parse((await _host.Store.LoadAsync(SampleApproval.Type, "a1", CancellationToken.None))!.Data)!;
        Assert.Equal(1, stored["data"]!["remindersSent"]!.GetValue<int>());
        Assert.Equal(2, stored["data"]!["approvalsNeeded"]!.GetValue<int>());
        Assert.Equal("read", stored["data"]!["checklist"]!["runbook"]!.GetValue<string>());
        Assert.Equal("kms-key-1", stored["signedBy"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("a newer form", null)]
    [InlineData("a state this version does not know", "Escrowed")]
    public async Task A_record_this_version_cannot_read_is_refused_and_left_not_failed(string what, string? state)
    {
        var newer = await WriteAsNewerAsync(json => json["schema"] = state is null ? 2 : 1, state);
        _time.Advance(SampleApproval.ReminderAfter);

        await Assert.ThrowsAsync<WrittenByNewerVersionException>(() =>
            _host.Engine.FireAsync(WorkflowTrigger.For(SampleApproval.Type, "a1", ApprovalTrigger.Approve, new WorkflowActor("U0BEN", "ben")), CancellationToken.None));
        // Its reminder comes due again and again on this instance: left each time, never counted, never given up.
        for (var round = 0; round < 3 * _host.Pump.GiveUpAfter; round++)
        {
            Assert.Equal(0, await _host.Pump.RunOnceAsync(CancellationToken.None));
            _time.Advance(WrittenByNewerVersionException.LeaveFor);
        }

        Assert.Empty(await _host.Store.ListDeadTimersAsync(10, CancellationToken.None));
        Assert.Equal(newer, await _host.Store.LoadAsync(SampleApproval.Type, "a1", CancellationToken.None));
        // The reminder waits for a newer instance, its count of attempts untouched by this one's refusals.
        var reminder = Assert.Single(await _host.Store.ClaimDueTimersAsync(_time.GetUtcNow(), "newer", TimeSpan.FromMinutes(1), 10, CancellationToken.None));
        Assert.Equal((TimerRecord.IdFor(SampleApproval.Type, "a1", "reminder"), 1), (reminder.Id, reminder.Attempts));
        Assert.Contains("version of the bot", reminder.LastError, StringComparison.Ordinal);
        _ = what;
    }
}
