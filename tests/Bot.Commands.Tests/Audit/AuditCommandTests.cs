using Bot.Testing.Workflows;
using Bot.Testing;
using Bot.Commands.Routing;
using System.Text;
using Bot.Commands.Audit;
using Bot.Commands.Access;
using Bot.Workflows.Roles;
using Bot.Commands.Tests.Routing;
using Bot.Testing.Commands;
using Bot.Workflows.Audit;
using Bot.Workflows.Changes.Sealing;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Bot.Testing.Slack;

namespace Bot.Commands.Tests.Audit;

/// <summary><c>/sb audit</c>, <c>audit export</c>, <c>audit verify</c> and the per-command audit records, on a real SQLite store.</summary>
public sealed class AuditCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-audit-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero));
    private readonly SqliteWorkflowStore _store;
    private readonly AuditLog _audit;
    private readonly CommandRouter _router;

    public AuditCommandTests()
    {
        _store = new SqliteWorkflowStore(Path.Combine(_dir, "bot.db"), _time);
        _store.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        // The bot's key as the shell and a single instance have it: a key file beside the SQLite store.
        _audit = new AuditLog(_store, _store, new KeyFileDataKeys(KeyFileDataKeys.PathFor(Path.Combine(_dir, "bot.db"))), _time);
        var recorder = new CommandAuditRecorder(_audit, _time, NullLogger<CommandAuditRecorder>.Instance);
        _router = new CommandRouter([new AuditCommand(_audit, new RoleGate(new TestDirectory().Grant("U0ANA", Role.Admin).Grant("U0CY", Role.OpsManager)), _time), new EchoCommand()], NullLogger<CommandRouter>.Instance, [recorder]);
    }

    private sealed class EchoCommand : ICommandHandler
    {
        public CommandSpec Spec { get; } = new() { Verb = "health", Summary = "test", Usage = "/sb health [--token x]", Flags = [new FlagSpec("token", "a secret")] };
        public Task HandleAsync(CommandContext context, CancellationToken cancellationToken) => context.RespondEphemeralAsync("ok", cancellationToken);
    }

    private async Task<RecordingReplyChannel> RunAsync(string text, string userId = "U0ANA", string userName = "ana")
    {
        var reply = new RecordingReplyChannel();
        await _router.DispatchAsync(new CommandRequest
        {
            Command = "/sb", Text = text, User = new Actor(userId, userName), ChannelId = "C0OPS", Transport = Transport.Shell, RequestId = "req-" + text.Length,
        }, reply, CancellationToken.None);
        return reply;
    }

    [Fact]
    public async Task Every_command_run_leaves_a_chained_audit_record_with_secrets_redacted()
    {
        await RunAsync("health prod --token xoxb-123456789-abcdef");

        var record = Assert.Single(await _audit.ListAsync(new AuditQuery(), CancellationToken.None));
        Assert.Equal(("U0ANA", "command:/sb health", "req-41"), (record.ActorId, record.Action, record.RequestId));
        // request id: "req-" + text length
        Assert.Contains("\"args\":\"prod --token ***\"", record.DetailsJson);
        Assert.DoesNotContain("xoxb", record.DetailsJson);
    }

    [Fact]
    public async Task Audit_lists_the_trail_newest_first()
    {
        await RunAsync("health");
        _time.Advance(TimeSpan.FromMinutes(5));
        await RunAsync("health", "U0BEN", "ben");

        var reply = await RunAsync("audit");

        var text = Assert.Single(reply.Responses).AsSlack().Text;
        Assert.Contains("#2 2026-11-22 14:07 UTC @ben command:/sb health", text);
        Assert.True(text.IndexOf("#2 ", StringComparison.Ordinal) < text.IndexOf("#1 ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("audit")]
    [InlineData("audit export")]
    public async Task Reading_the_trail_needs_admin_or_ops_manager(string text)
    {
        await RunAsync("health");

        var refused = Assert.Single((await RunAsync(text, "U0BEN", "ben")).Responses).AsSlack().Text;
        var allowed = await RunAsync(text, "U0CY", "cy");

        Assert.Contains("you need to be a bot admin or an ops manager", refused);
        Assert.DoesNotContain("command:/sb health", refused);
        Assert.True(allowed.Responses.Any(r => !r.AsSlack().Text.Contains("you need to be", StringComparison.Ordinal)) || !allowed.Uploads.IsEmpty);
    }

    [Fact]
    public async Task Anyone_may_verify_the_chain()
    {
        await RunAsync("health");

        var text = Assert.Single((await RunAsync("audit verify", "U0BEN", "ben")).Responses).AsSlack().Text;

        Assert.Contains("Audit chain intact", text);
    }

    [Fact]
    public async Task Audit_filters_by_user_and_window()
    {
        await RunAsync("health");
        _time.Advance(TimeSpan.FromDays(3));
        await RunAsync("health", "U0BEN", "ben");
        await RunAsync("health");

        var byAna = Assert.Single((await RunAsync("audit --since 2d --user @ana")).Responses).AsSlack().Text;
        var byMention = Assert.Single((await RunAsync("audit --user <@U0BEN|ben>")).Responses).AsSlack().Text;

        Assert.Contains("#3 ", byAna);
        Assert.DoesNotContain("#1 ", byAna);
        Assert.DoesNotContain("@ben", byAna);
        Assert.Contains("#2 ", byMention);
        Assert.DoesNotContain("#3 ", byMention);
    }

    [Theory]
    [InlineData("audit --since forever", "is not a duration")]
    [InlineData("audit --since 9999d", "at most 400 days")]
    [InlineData("audit shred", "is not an audit action")]
    [InlineData("audit --user ;drop", "takes a person")]
    public async Task Bad_arguments_get_a_clear_answer_and_change_nothing(string text, string expected)
    {
        var reply = await RunAsync(text);
        Assert.Contains(expected, Assert.Single(reply.Responses).AsSlack().Text);
        Assert.True(Assert.Single(reply.Responses).AsSlack().Ephemeral);
    }

    [Fact]
    public async Task Export_uploads_a_csv_of_the_window()
    {
        await RunAsync("health");
        _time.Advance(TimeSpan.FromDays(40));
        await RunAsync("health", "U0BEN", "=ben");

        var reply = await RunAsync("audit export --since 30d");

        var file = Assert.Single(reply.Uploads).File;
        Assert.Equal("audit-2027-01-01.csv", file.FileName);
        var lines = Encoding.UTF8.GetString(file.Content).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(AuditCsv.Header, lines[0]);
        Assert.Equal(2, lines.Length - 1); // ben's record and the export command itself
        Assert.StartsWith("2,2027-01-01T14:02:00.000Z,U0BEN,'=ben,command:/sb health,", lines[1]);
    }

    [Fact]
    public async Task Verify_reports_an_intact_chain_and_then_the_first_tampered_record()
    {
        await RunAsync("health");
        await RunAsync("health");
        Assert.Contains("Audit chain intact: 3 record(s)", Assert.Single((await RunAsync("audit verify")).Responses).AsSlack().Text);

        await using (var c = new SqliteConnection($"Data Source={Path.Combine(_dir, "bot.db")};Pooling=False"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE audit SET actor_name = 'mallory' WHERE seq = 2;";
            await cmd.ExecuteNonQueryAsync();
        }

        // The first check signed a checkpoint at its head (#3): record #2 is behind it, so it takes a full check to see it.
        var verdict = Assert.Single((await RunAsync("audit verify --full")).Responses).AsSlack().Text;
        Assert.Contains("Audit chain broken at record #2", verdict);
    }

    [Fact]
    public async Task A_second_verify_checks_the_records_since_the_checkpoint_the_first_signed_and_full_checks_every_one()
    {
        await RunAsync("health");
        var first = Assert.Single((await RunAsync("audit verify")).Responses).AsSlack().Text;
        _time.Advance(TimeSpan.FromHours(1));
        await RunAsync("health");
        var second = Assert.Single((await RunAsync("audit verify")).Responses).AsSlack().Text;
        var full = Assert.Single((await RunAsync("audit verify --full")).Responses).AsSlack().Text;

        Assert.Contains("Audit chain intact: 2 record(s), every one checked", first);
        Assert.Contains("Checkpoint signed at record #2: the next check starts there.", first);
        Assert.Contains("Audit chain intact: 4 record(s); records #2–#4 checked now, from the checkpoint signed 2026-11-22 14:02 UTC", second);
        Assert.Contains("Audit chain intact: 5 record(s), every one checked", full);
    }

    [Fact]
    public void Secret_looking_arguments_are_redacted()
    {
        Assert.Equal("prod --api-key=*** *** --password ***", CommandAuditRecorder.RedactArguments(
            ["prod", "--api-key=hunter2", "AKIAABCDEFGHIJKLMNOP", "--password", "pw"]));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
