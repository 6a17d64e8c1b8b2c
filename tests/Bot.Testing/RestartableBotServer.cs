using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Bot.Testing;

/// <summary>
/// The built bot running as a server in its own process (<c>dotnet Bot.dll</c>, copied beside the tests), on a free
/// loopback port, with the environment given (unlike <see cref="BotServer"/>, it can die and come back). <see cref="Kill"/> is <c>kill -9</c>: no shutdown, nothing flushed;
/// <see cref="RestartAsync"/> starts it again with the same environment (same store), as a supervisor would.
/// </summary>
public sealed class RestartableBotServer : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly string? _botDll;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private RestartableBotServer(Dictionary<string, string> environment, string? botDll)
    {
        _environment = environment;
        _botDll = botDll;
    }

    public int Port { get; private set; }
    public HttpClient Client { get; private set; } = null!;
    /// <summary>Everything the process (and the ones before it) printed: for failure messages and log greps.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }
    public bool IsRunning => _process is { HasExited: false };

    /// <param name="botDll">Another build of the bot to run (e.g. the previous release's); default the one beside the tests.</param>
    public static async Task<RestartableBotServer> StartAsync(IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null, string? botDll = null)
    {
        var server = new RestartableBotServer(new Dictionary<string, string>(environment), botDll);
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
        Port = FreePort();
        var start = BotProcess.StartInfo([], _environment, _botDll);
        start.RedirectStandardInput = false;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
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
