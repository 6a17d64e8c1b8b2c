using System.Diagnostics;

namespace Bot.Testing;

/// <summary>What a run of the built bot printed and returned.</summary>
public sealed record BotProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs the already-built <c>Bot.dll</c> (copied beside the test assembly) with <c>dotnet</c>, as a user
/// would, with stdin scripted and the Slack variables cleared unless given.
/// </summary>
public static class BotProcess
{
    /// <summary>How to start the built bot: <c>dotnet Bot.dll</c> beside the tests, Slack and PagerDuty variables cleared, a throwaway store.</summary>
    /// <param name="botDll">Another build of the bot (e.g. <see cref="PreviousRelease"/>'s); default the one beside the tests.</param>
    public static ProcessStartInfo StartInfo(string[] args, IReadOnlyDictionary<string, string>? environment, string? botDll = null)
    {
        var bot = botDll ?? Path.Combine(AppContext.BaseDirectory, "Bot.dll");
        if (!File.Exists(bot)) throw new FileNotFoundException("Bot.dll is not beside the tests; build the solution first.", bot);

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(bot);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Slack__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("PagerDuty__", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Store__SqlitePath"] = TestStorage.NewSqlitePath();
        // The shell keeps its own store apart from the server's: a throwaway one too.
        start.Environment["Shell__SqlitePath"] = TestStorage.NewSqlitePath();
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;

        return start;
    }

    public static async Task<BotProcessResult> RunAsync(string[] args, string standardInput = "", IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = StartInfo(args, environment);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(standardInput);
        process.StandardInput.Close();

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Bot did not exit. stdout: {await stdout} stderr: {await stderr}");
        }
        return new BotProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
