using Bot.Testing;
using Bot.Tests;
using Bot.Commands.Routing;
using Bot.Shell;
using Bot.Workflows.Audit;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Shell;

/// <summary>
/// A shell started on a production box must not share the server's store or reach real AWS unless told
/// to, and whoever it plays is a shell user, never someone Slack could have sent.
/// </summary>
public sealed class ShellSafetyTests : IDisposable
{
    private readonly string _serverDb = TestStorage.NewSqlitePath();
    private readonly string _shellDb = TestStorage.NewSqlitePath();

    public void Dispose()
    {
        TestStorage.Delete(_serverDb);
        TestStorage.Delete(_shellDb);
    }

    private static async Task<int> AuditRecordsAsync(string path)
    {
        if (!File.Exists(path)) return 0;
        var store = new SqliteWorkflowStore(path, TimeProvider.System);
        return (await new AuditLog(store).ListAsync(new AuditQuery(DateTimeOffset.UtcNow.AddHours(-1), null, 1000), CancellationToken.None)).Count;
    }

    /// <summary>Runs a script in a started shell (the store is initialized on start, as in <c>dotnet run -- shell</c>).</summary>
    private static async Task RunStartedAsync(ShellHarness shell, string script)
    {
        await shell.Host.StartAsync();
        await shell.RunAsync(script);
        await shell.Host.StopAsync();
    }

    [Fact]
    public async Task On_a_production_box_the_shell_keeps_its_own_store_and_the_sandbox_and_says_which_flags_would_change_that()
    {
        var result = await BotProcess.RunAsync(["shell"], "/sb audit verify\n/sb health\n", new Dictionary<string, string>
        {
            // What the container image and a production host set for the server.
            ["Store__Provider"] = "dynamodb",
            ["Store__DynamoDbTable"] = "securebase-ops-bot",
            ["Store__SqlitePath"] = _serverDb,
            ["Sandbox__Enabled"] = "false",
            ["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:9",
            ["Shell__SqlitePath"] = _shellDb,
        }, TimeSpan.FromSeconds(90));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("Audit chain intact", result.StandardOutput);
        Assert.Contains("SecureBase prod health", result.StandardOutput);
        Assert.Contains(ShellSafety.UseServerStoreFlag, result.StandardError);
        Assert.Contains(ShellSafety.RealAwsFlag, result.StandardError);
        Assert.False(File.Exists(_serverDb));
        Assert.Equal(2, await AuditRecordsAsync(_shellDb));
    }

    [Fact]
    public async Task The_shell_ignores_the_servers_sqlite_file_unless_asked_to_share_it()
    {
        using (var own = new ShellHarness(settings: new() { ["Store:SqlitePath"] = _serverDb, ["Shell:SqlitePath"] = _shellDb }))
            await RunStartedAsync(own, "/sb help\n");
        using (var shared = new ShellHarness([ShellSafety.UseServerStoreFlag], new() { ["Store:SqlitePath"] = _serverDb, ["Shell:SqlitePath"] = _shellDb }))
            await RunStartedAsync(shared, "/sb help\n/sb help\n");

        Assert.Equal(1, await AuditRecordsAsync(_shellDb));
        Assert.Equal(2, await AuditRecordsAsync(_serverDb));
    }

    [Fact]
    public void A_shell_store_that_is_the_servers_file_is_refused()
    {
        var error = Assert.Throws<ShellSafetyException>(() =>
            ShellHost.Build([], TextWriter.Null, ansi: false, configure: c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Store:SqlitePath"] = _serverDb,
                ["Shell:SqlitePath"] = _serverDb,
            })));

        Assert.Contains(ShellSafety.UseServerStoreFlag, error.Message);
    }

    [Fact]
    public void Real_AWS_needs_the_flag_that_says_so()
    {
        static bool Sandboxed(string[] args) =>
            ShellHost.Build(args, TextWriter.Null, ansi: false, configure: c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Sandbox:Enabled"] = "false",
                ["Shell:SqlitePath"] = TestStorage.NewSqlitePath(),
            })).Services.GetRequiredService<IConfiguration>().GetValue<bool>("Sandbox:Enabled");

        Assert.True(Sandboxed([]));
        Assert.False(Sandboxed([ShellSafety.RealAwsFlag]));
    }

    [Fact]
    public async Task Everyone_the_shell_plays_is_marked_as_a_shell_identity()
    {
        using var shell = new ShellHarness();
        var session = shell.Host.Services.GetRequiredService<ShellSession>();

        var first = session.User;
        await session.ExecuteAsync("as bob", CancellationToken.None);

        Assert.True(first.IsShellIdentity);
        Assert.True(session.User.IsShellIdentity);
        Assert.Equal("bob", session.User.UserName);
        Assert.NotEqual(new Actor(session.User.UserId, "bob"), session.User);
    }
}
