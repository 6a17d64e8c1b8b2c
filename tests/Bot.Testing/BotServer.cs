using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Bot.Testing;

/// <summary>
/// The built bot running as a server in its own process (<c>dotnet Bot.dll</c>, copied beside the tests), on a free
/// loopback port, with the environment given. <see cref="Kill"/> is <c>kill -9</c>: no shutdown, nothing flushed;
/// <see cref="RestartAsync"/> starts it again with the same environment (same store), as a supervisor would.
/// </summary>
public sealed class BotServer : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private BotServer(Dictionary<string, string> environment) => _environment = environment;

    public int Port { get; private set; }
    public HttpClient Client { get; private set; } = null!;
    /// <summary>Everything the process (and the ones before it) printed: for failure messages and log greps.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }
    public bool IsRunning => _process is { HasExited: false };

    public static async Task<BotServer> StartAsync(IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        var server = new BotServer(new Dictionary<string, string>(environment));
        await server.StartProcessAsync(timeout ?? TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>SIGKILL: the process dies where it stands.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: false);
            p.WaitForExit();
        }
        Log("---- killed (SIGKILL) ----");
    }

    public async Task RestartAsync(TimeSpan? timeout = null)
    {
        Kill();
        await StartProcessAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    private async Task StartProcessAsync(TimeSpan timeout)
    {
        var bot = Path.Combine(AppContext.BaseDirectory, "Bot.dll");
        if (!File.Exists(bot)) throw new FileNotFoundException("Bot.dll is not beside the tests; build the solution first.", bot);
        Port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(bot);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Slack__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("PagerDuty__", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (k, v) in _environment) start.Environment[k] = v;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}";

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Log(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Log(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        Client?.Dispose();
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}/"), Timeout = TimeSpan.FromSeconds(30) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"The bot exited with {process.ExitCode}:\n{Output}");
            try
            {
                using var ready = await Client.GetAsync("readyz");
                if (ready.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The bot was not ready within {timeout}:\n{Output}");
            await Task.Delay(50);
        }
    }

    private void Log(string line)
    {
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        Client?.Dispose();
        return ValueTask.CompletedTask;
    }
}
