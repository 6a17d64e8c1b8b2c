using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Bot.Testing.DynamoDb;

/// <summary>
/// A real DynamoDB for tests: dynalite (npm) running in memory on a free loopback port.
/// <para>
/// On first use it installs dynalite with npm into a cache folder (<c>&lt;repo&gt;/.dynalite/</c>, git-ignored;
/// override with <c>DYNALITE_HOME</c>). It needs <c>node</c> and <c>npm</c> on PATH; without them it fails
/// with a message saying so (tests that need DynamoDB fail, they do not skip). The node process exits
/// when this object is disposed, or by itself when the test process dies (it watches its stdin).
/// </para>
/// </summary>
public sealed partial class DynaliteServer : IAsyncDisposable
{
    public const string DynaliteVersion = "3.2.2";

    private const string LauncherScript =
        """
        const dynalite = require('dynalite');
        const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
        server.listen(0, '127.0.0.1', () => console.log('LISTENING ' + server.address().port));
        process.stdin.on('end', () => process.exit(0));
        process.stdin.on('error', () => process.exit(0));
        process.stdin.resume();
        """;

    private readonly Process _process;

    private DynaliteServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The endpoint to give the AWS SDK (<c>ServiceURL</c>).</summary>
    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public static async Task<DynaliteServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var home = await EnsureInstalledAsync(cancellationToken);
        var launcher = Path.Combine(home, "serve.js");
        if (!File.Exists(launcher) || await File.ReadAllTextAsync(launcher, cancellationToken) != LauncherScript)
        {
            var temp = launcher + "." + Environment.ProcessId + ".tmp";
            await File.WriteAllTextAsync(temp, LauncherScript, cancellationToken);
            File.Move(temp, launcher, overwrite: true);
        }

        var start = new ProcessStartInfo("node", [launcher])
        {
            WorkingDirectory = home,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for dynalite.");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                    throw new InvalidOperationException($"dynalite exited before listening: {await stderr}");
                var match = ListeningLine().Match(line);
                if (match.Success) return new DynaliteServer(process, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    [GeneratedRegex(@"^LISTENING (\d+)$")]
    private static partial Regex ListeningLine();

    /// <summary>The folder with <c>node_modules/dynalite</c>, installing it with npm when missing.</summary>
    public static async Task<string> EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        var home = Environment.GetEnvironmentVariable("DYNALITE_HOME") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot(), ".dynalite");
        Directory.CreateDirectory(home);
        var marker = Path.Combine(home, "node_modules", "dynalite", "package.json");

        await RequireToolAsync("node", cancellationToken);
        if (File.Exists(marker)) return home;

        await RequireToolAsync("npm", cancellationToken);
        // Two test processes may start at once: one installs, the other waits on the lock file.
        await using var gate = await LockAsync(Path.Combine(home, ".install.lock"), cancellationToken);
        if (File.Exists(marker)) return home;
        var (code, output) = await RunAsync("npm",
            ["install", "--prefix", home, "--no-audit", "--no-fund", "--no-save", "--loglevel=error", $"dynalite@{DynaliteVersion}"],
            home, TimeSpan.FromMinutes(5), cancellationToken);
        if (code != 0 || !File.Exists(marker))
            throw new InvalidOperationException($"`npm install dynalite@{DynaliteVersion}` into {home} failed (exit {code}):\n{output}");
        return home;
    }

    private static async Task RequireToolAsync(string tool, CancellationToken cancellationToken)
    {
        try
        {
            var (code, _) = await RunAsync(tool, ["--version"], Directory.GetCurrentDirectory(), TimeSpan.FromSeconds(30), cancellationToken);
            if (code == 0) return;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // not on PATH
        }
        throw new InvalidOperationException(
            $"The DynamoDB tests run against dynalite and need `{tool}` on PATH (Node.js ≥ 16 with npm; e.g. `apt-get install -y nodejs npm`). " +
            "Install it and run the tests again; dynalite itself is installed automatically into .dynalite/.");
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, string workingDirectory, TimeSpan limit, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw new InvalidOperationException($"`{file} {string.Join(' ', args)}` did not finish within {limit}.");
        }
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (i < 3000)
            {
                await Task.Delay(100, cancellationToken); // another process is installing
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bot.sln"))) return dir.FullName;
        }
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "securebase-bot");
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { _process.StandardInput.Close(); } catch (IOException) { }
        Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
