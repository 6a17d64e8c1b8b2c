using System.Diagnostics;

namespace Bot.Testing;

/// <summary>
/// The bot as the previous release was built: <c>tests/previous-release.ref</c> names its commit, which is taken out of this
/// repository's history (<c>git archive</c>) and built once per machine into the tests' temp folder. A rolling deploy runs it
/// beside this build.
/// </summary>
public static class PreviousRelease
{
    /// <summary>The commit of the previous release.</summary>
    public static string Commit => File.ReadAllLines(Path.Combine(Fixtures.RepositoryRoot, "tests", "previous-release.ref"))
        .Select(l => l.Trim()).First(l => l.Length > 0 && !l.StartsWith('#'));

    /// <summary>The previous release's <c>Bot.dll</c>, built first if this machine has not built it yet.</summary>
    public static async Task<string> BotDllAsync()
    {
        var commit = Commit;
        var home = Path.Combine(TestStorage.Root, "previous-release", commit);
        var dll = Path.Combine(home, "bin", "Bot.dll");
        if (File.Exists(dll)) return dll;
        Directory.CreateDirectory(home);
        // One build at a time, whichever test process gets here first.
        await using var held = await HoldAsync(Path.Combine(home, "build.lock"));
        if (File.Exists(dll)) return dll;

        var source = Path.Combine(home, "src");
        if (Directory.Exists(source)) Directory.Delete(source, recursive: true);
        Directory.CreateDirectory(source);
        await RunAsync("bash", ["-c", $"git -C \"{Fixtures.RepositoryRoot}\" archive --format=tar {commit} | tar -x -C \"{source}\""],
            $"Could not take commit {commit} out of the repository's history (a shallow clone? fetch it).");
        await RunAsync("dotnet", ["build", Path.Combine(source, "src", "Bot", "Bot.csproj"), "-c", "Release", "-o", Path.Combine(home, "bin.tmp"), "-nologo", "-v", "q"],
            $"The previous release ({commit}) did not build.");
        Directory.Move(Path.Combine(home, "bin.tmp"), Path.Combine(home, "bin"));
        return dll;
    }

    private static async Task<FileStream> HoldAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(20);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    private static async Task RunAsync(string file, string[] args, string failure)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{failure}\n{await stdout}\n{await stderr}");
    }
}
