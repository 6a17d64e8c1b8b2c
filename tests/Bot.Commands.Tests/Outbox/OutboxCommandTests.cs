using Bot.Testing;
using Bot.Commands.Routing;
using Bot.Commands.Access;
using Bot.Commands.Outbox;
using Bot.Commands.Tests.Routing;
using Bot.Testing.Commands;
using Bot.Commands.Tests.Audit;
using Bot.Testing.Workflows;
using Bot.Workflows.DeadLettering;
using Bot.Workflows.Audit;
using Bot.Workflows.Engine;
using Bot.Workflows.Outbox;
using Bot.Workflows.Ports;
using Bot.Workflows.Roles;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Bot.Testing.Slack;

namespace Bot.Commands.Tests.Outbox;

/// <summary><c>/sb outbox</c> and <c>/sb outbox replay</c> on a real SQLite store, with the real engine and outbox sender.</summary>
public sealed class OutboxCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-outboxcmd-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly WorkflowHost _host;
    private readonly DeadLetters _deadLetters;
    private readonly CommandRouter _router;

    public OutboxCommandTests()
    {
        var store = new SqliteWorkflowStore(Path.Combine(_dir, "bot.db"), _time);
        store.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        _host = new WorkflowHost(store, _time);
        _deadLetters = new DeadLetters(store, _time, _host.Signals);
        var roles = new RoleGate(new TestDirectory().Grant("U0ADM", Role.Admin).Grant("U0APP", Role.Approver));
        _router = new CommandRouter([new OutboxCommand(_deadLetters, store, _host.Audit, roles, _time)], NullLogger<CommandRouter>.Instance);
    }

    private async Task<string> RunAsync(string text, string userId = "U0ADM")
    {
        var reply = new RecordingReplyChannel();
        await _router.DispatchAsync(new CommandRequest
        {
            Command = "/sb", Text = text, User = new Actor(userId, "someone"), ChannelId = "C0OPS", Transport = Transport.Shell, RequestId = "req-1",
        }, reply, CancellationToken.None);
        return Assert.Single(reply.Responses).AsSlack().Text;
    }

    private async Task GiveUpOneCardAsync(string title)
    {
        var ana = new WorkflowActor("U1", "ana");
        await _host.Engine.CreateAsync(SampleApproval.New(title, "C0OPS", title, ana), ana, null, null, CancellationToken.None);
        _host.Chat.FailNext(new ChatDeliveryException("not_in_channel", transient: false));
        await _host.DrainOutboxAsync();
    }

    [Fact]
    public async Task An_admin_sees_the_dead_letters_with_their_error()
    {
        await GiveUpOneCardAsync("deploy <b>api</b>");

        var answer = await RunAsync("outbox");

        Assert.Contains("0 message(s) waiting for Slack; 1 given up (dead letters)", answer);
        Assert.Contains("`not_in_channel`", answer);
        Assert.Contains("deploy &lt;b&gt;api&lt;/b&gt;", answer);
        Assert.Equal(1, _deadLetters.LastKnownCount);
    }

    [Fact]
    public async Task Replay_all_sends_each_dead_letter_once_and_is_audited()
    {
        await GiveUpOneCardAsync("deploy api");

        var answer = await RunAsync("outbox replay all");
        await _host.DrainOutboxAsync();

        Assert.Contains("Replayed 1 dead letter(s)", answer);
        Assert.Single(_host.Chat.Deliveries);
        Assert.Equal(0, await _deadLetters.CountAsync(CancellationToken.None));
        var record = (await _host.Audit.ListAsync(new AuditQuery { Limit = 1 }, CancellationToken.None))[0];
        Assert.Equal("outbox:replay", record.Action);
        Assert.Equal("U0ADM", record.ActorId);
    }

    [Fact]
    public async Task Replaying_an_unknown_id_says_so_and_changes_nothing()
    {
        await GiveUpOneCardAsync("deploy api");

        var answer = await RunAsync("outbox replay nope");

        Assert.Contains("No dead letter `nope`", answer);
        Assert.Equal(1, await _deadLetters.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Someone_without_the_admin_role_is_refused_and_nothing_is_replayed()
    {
        await GiveUpOneCardAsync("deploy api");

        var answer = await RunAsync("outbox replay all", userId: "U0APP");

        Assert.Contains("you need to be a bot admin", answer);
        Assert.Equal(1, await _deadLetters.CountAsync(CancellationToken.None));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
