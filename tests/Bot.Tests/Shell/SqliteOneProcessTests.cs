using Bot.Testing;
using Bot.Workflows.Storage.Sqlite;

namespace Bot.Tests.Shell;

/// <summary>The SQLite store is for one process: a second bot process on the same file is refused at start, with a clear message.</summary>
public class SqliteOneProcessTests
{
    [Fact]
    public async Task A_second_process_on_a_sqlite_file_in_use_is_refused_and_says_why()
    {
        var path = TestStorage.NewSqlitePath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // This test process is the running bot that holds the file.
        var running = new SqliteWorkflowStore(path, TimeProvider.System) { HoldsFile = true };
        await running.InitializeAsync(CancellationToken.None);

        var second = await BotProcess.RunAsync(["shell", "--use-server-store"], "/sb help\n", new Dictionary<string, string> { ["Store__SqlitePath"] = path },
            timeout: TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("is in use by another process", second.StandardOutput + second.StandardError);
        Assert.Contains("Store__Provider=dynamodb", second.StandardOutput + second.StandardError);
        Assert.DoesNotContain("SecureBase ops bot commands", second.StandardOutput);
    }
}
