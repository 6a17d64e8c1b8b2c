using Bot.Commands;
using Bot.Testing;
using Bot.Tests;
using Bot.Testing.Slack;
using Bot.Commands.Routing;
using Bot.Commands.Rehearsal;
using Bot.Rehearsal;
using Bot.Commands.Audit;
using Bot.Commands.Cloud;
using Bot.Sandbox;
using Bot.Sandbox.Hosting;
using Bot.Testing.Aws;
using Bot.Testing.Commands;
using Bot.Tests.Routing;
using Bot.Workflows.Audit;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Bot.Integrations.Slack;

namespace Bot.Tests.Slack;

/// <summary>Every verb, the sandbox account behind the read commands, and an audit trail on SQLite, through the real router.</summary>
public sealed class EveryCommand : IAsyncLifetime
{
    private readonly string _sqlitePath = Bot.Testing.TestStorage.NewSqlitePath();
    private SandboxServer _sandbox = null!;
    public ServiceProvider Services { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions(), TimeProvider.System);
        var store = new SqliteWorkflowStore(_sqlitePath, TimeProvider.System);
        await store.InitializeAsync(CancellationToken.None);
        var options = _sandbox.Account.Options;
        Services = StubClients.Build(_sandbox.BaseAddress, s =>
        {
            s.AddSingleton(TimeProvider.System);
            s.AddCommandRouting();
            s.AddCloudCommandHandlers();
            s.AddSingleton<IWorkflowStore>(store);
            s.AddWorkflowStoreRoles();
            s.AddSingleton<IAuditLog, AuditLog>();
            s.AddSingleton<Bot.Workflows.Ports.IDirectory>(new Bot.Testing.Workflows.TestDirectory().Grant("U123", Bot.Workflows.Roles.Role.Admin));
            s.AddSingleton<Bot.Commands.Access.RoleGate>();
            s.AddCommand<AuditCommand>();
            s.AddCommandMiddleware<CommandAuditRecorder>();
            s.AddSingleton(_sandbox.Account);
            s.AddSingleton<IRehearsalAccount, SandboxRehearsalAccount>();
            s.AddCommand<SandboxCommand>();
        }, new Dictionary<string, string?>
        {
            ["Aws:Region"] = options.Region,
            ["Aws:AccessKeyId"] = options.AccessKeyId,
            ["Aws:SecretAccessKey"] = options.SecretAccessKey,
            ["Aws:MaxRetries"] = "0",
        });
    }

    /// <summary>Runs <c>/sb <paramref name="text"/></c> as <paramref name="user"/> and returns what was sent back; sandbox faults are ended after.</summary>
    public async Task<RecordingReplyChannel> RunAsync(string text, Actor user)
    {
        var reply = new RecordingReplyChannel();
        await Services.GetRequiredService<CommandRouter>().DispatchAsync(new CommandRequest
        {
            Command = "/sb", Text = text, User = user, ChannelId = "C-OPS",
        }, reply, CancellationToken.None);
        _sandbox.Account.Faults.ClearAll();
        return reply;
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await _sandbox.DisposeAsync();
        Bot.Testing.TestStorage.Delete(_sqlitePath);
    }
}

/// <summary>
/// Whatever a user types into any place of the <c>/sb</c> grammar (verb, argument, flag name, flag value),
/// and whatever their display name, what the bot sends back is escaped as Slack documents.
/// </summary>
public sealed class EchoedInputEscapingTests(EveryCommand bot) : IClassFixture<EveryCommand>
{
    private static readonly Actor Alice = new("U123", "alice");

    /// <summary>Each place in the grammar where a value goes; {0} is the value, quoted as a Slack user would.</summary>
    private static readonly string[] Templates =
    [
        "{0}", "help {0}", "health {0}", "alarms {0}", "alarms prod {0}",
        "logs {0}", "logs securebase-prod-user-management --filter {0}", "logs securebase-prod-user-management --since {0}",
        "logs securebase-prod-user-management --env {0}", "logs securebase-prod-user-management --{0}",
        "metrics {0}", "metrics user-management --since {0}", "metrics user-management --env {0}",
        "cost --service {0}", "cost --period {0}", "cost --by {0}",
        "audit {0}", "audit --since {0}", "audit --user {0}",
        "sandbox {0}", "sandbox break {0}", "sandbox throttle {0}", "sandbox api-errors {0}", "sandbox slow {0} 50",
        "sandbox slow DescribeTable {0}", "sandbox fix {0}", "sandbox break securebase-prod-user-management --rate {0}",
    ];

    /// <summary>A word the tokenizer gives back as <paramref name="value"/>.</summary>
    private static string Quoted(string value) => value.Contains(' ') || value.Contains('"') || value.Length == 0
        ? "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\""
        : value;

    private static Gen<string> Values() => Gen.OneOf(
        Gen.Elements(SlackMarkup.Hostile),
        from a in Gen.Elements(SlackMarkup.Hostile)
        from b in ArbMap.Default.GeneratorFor<NonNull<string>>()
        select b.Get + a,
        Gen.Elements(SlackMarkup.Hostile).Select(h => string.Concat(Enumerable.Repeat(h, 200))));

    [Property(MaxTest = 120)]
    public Property Whatever_a_user_types_anywhere_in_a_command_the_answer_is_escaped() =>
        Prop.ForAll(Gen.Elements(Templates).ToArbitrary(), Values().ToArbitrary(), (template, value) =>
        {
            var reply = bot.RunAsync(string.Format(template, Quoted(value)), Alice).GetAwaiter().GetResult();
            Assert.NotEmpty(reply.Responses.Concat(reply.Posts.Select(p => p.Message)));
            SlackMarkup.AssertEscaped(reply, "<@U123>");
        });

    [Theory]
    [InlineData("<!here>")]
    [InlineData("<https://evil.example|click>")]
    public async Task A_hostile_display_name_is_escaped_wherever_it_is_shown(string name)
    {
        var mallory = new Actor("B0BOT", name);
        await bot.RunAsync("health", mallory);

        var reply = await bot.RunAsync("audit", Alice);

        Assert.Contains(name.Replace("<", "&lt;").Replace(">", "&gt;"), string.Join("\n", SlackMarkup.MarkupOf(reply)));
        SlackMarkup.AssertEscaped(reply, "<@U123>");
    }

    [Theory]
    [InlineData("cost --service \"<!here>\"", "for `&lt;!here&gt;`")]
    [InlineData("logs securebase-prod-user-management --filter \"<!channel>\"", "filter `&lt;!channel&gt;`")]
    [InlineData("<!here>", "I don't know `/sb &lt;!here&gt;`")]
    [InlineData("help <@U0EVIL>", "`/sb &lt;@U0EVIL&gt;`")]
    [InlineData("logs \"<!subteam^S0EVIL>\"", "`&lt;!subteam^S0EVIL&gt;`")]
    [InlineData("cost --period <https://evil.example|click>", "`--period &lt;https://evil.examp…`")]
    public async Task An_echoed_value_is_shown_escaped_in_a_code_span(string command, string expected)
    {
        var reply = await bot.RunAsync(command, Alice);

        Assert.Contains(expected, string.Join("\n", SlackMarkup.MarkupOf(reply)));
    }

    [Fact]
    public async Task Help_shows_usage_placeholders_escaped()
    {
        var reply = await bot.RunAsync("help logs", Alice);

        Assert.Contains("/sb logs &lt;function&gt;", SlackMrkdwn.Render(Assert.Single(reply.Responses).Text));
        SlackMarkup.AssertEscaped(reply);
    }
}
