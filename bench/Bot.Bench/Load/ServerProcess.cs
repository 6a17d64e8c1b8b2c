using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Bot.Bench.Load;

/// <summary>
/// A server under test in its own process (ours: <c>dotnet Bot.dll</c>; Bolt: <c>node app.js</c>), on 127.0.0.1. Reads
/// its CPU time and peak resident memory from <c>/proc</c> (Linux), so what is measured is the server alone, never
/// the load generator.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringWriter _output = new();

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public int Pid => _process.Id;
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    /// <summary>From the start of the process to the first request it answered.</summary>
    public TimeSpan StartToReady { get; private set; }
    public string Output => _output.ToString();

    public static async Task<ServerProcess> StartAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        int port, string? workingDirectory = null, string readyPath = "/", TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;

        var stopwatch = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}");
        var server = new ServerProcess(process, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (server._output) server._output.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server._output) server._output.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"{fileName} exited with {process.ExitCode}: {server.Output}");
            try
            {
                using var response = await http.GetAsync(readyPath);
                server.StartToReady = stopwatch.Elapsed;
                return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{fileName} did not answer on port {port}: {server.Output}");
                await Task.Delay(5);
            }
        }
    }

    /// <summary>User + system CPU time the process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        // /proc/<pid>/stat: fields 14 and 15 (utime, stime) in clock ticks, after the ')' that closes the command name.
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
    }

    /// <summary>Peak resident set size so far (<c>VmHWM</c>), in MB.</summary>
    public double PeakRssMb() => StatusKb("VmHWM:") / 1024.0;

    /// <summary>Resident set size now (<c>VmRSS</c>), in MB.</summary>
    public double RssMb() => StatusKb("VmRSS:") / 1024.0;

    private double StatusKb(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return double.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return double.NaN;
    }

    /// <summary>USER_HZ; 100 on every Linux this runs on (what <c>getconf CLK_TCK</c> says).</summary>
    private const int ClockTicksPerSecond = 100;

    /// <summary>A free loopback port (bound and released; the server takes it right after).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
