using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Bot.Testing;

/// <summary>
/// The built <c>Bot.dll</c> running as a server process on a free loopback port, as it runs in production (JSON logs on
/// stdout, configuration from the environment). <see cref="StopAsync"/> sends SIGTERM, as ECS does, and waits for the exit.
/// </summary>
public sealed partial class BotServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _lineArrived = new(0);

    private BotServer(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;
    public IReadOnlyList<string> StandardOutput => _stdout.ToArray();
    public IReadOnlyList<string> StandardError => _stderr.ToArray();
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static async Task<BotServer> StartAsync(string[] args, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        var process = new Process { StartInfo = BotProcess.StartInfo(args, environment) };
        var server = new BotServer(process);
        process.OutputDataReceived += (_, e) => server.Received(e.Data, server._stdout);
        process.ErrorDataReceived += (_, e) => server.Received(e.Data, server._stderr);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        try
        {
            server.BaseAddress = await server._listening.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"The bot did not start listening. stdout: {string.Join('\n', server.StandardOutput)} stderr: {string.Join('\n', server.StandardError)}");
        }
        return server;
    }

    private void Received(string? line, ConcurrentQueue<string> into)
    {
        if (line is null) return;
        into.Enqueue(line);
        _lineArrived.Release();
        if (ListeningOn().Match(line) is { Success: true } m) _listening.TrySetResult(new Uri(m.Groups[1].Value.TrimEnd('/') + "/"));
    }

    [GeneratedRegex(@"Now listening on: (http://[0-9.:\[\]]+)")]
    private static partial Regex ListeningOn();

    /// <summary>Waits for a line of stdout that contains <paramref name="text"/>.</summary>
    public Task<string> WaitForOutputAsync(string text, TimeSpan? timeout = null) =>
        WaitForOutputAsync(l => l.Contains(text, StringComparison.Ordinal), $"contains '{text}'", timeout);

    /// <summary>Waits for a line of stdout that contains one of <paramref name="texts"/>.</summary>
    public Task<string> WaitForAnyOutputAsync(IReadOnlyList<string> texts, TimeSpan? timeout = null) =>
        WaitForOutputAsync(l => texts.Any(t => l.Contains(t, StringComparison.Ordinal)), $"contains one of '{string.Join("', '", texts)}'", timeout);

    private async Task<string> WaitForOutputAsync(Func<string, bool> match, string what, TimeSpan? timeout)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_stdout.FirstOrDefault(match) is { } line) return line;
            try
            {
                await _lineArrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No output line {what}.");
            }
        }
    }

    /// <summary>SIGTERM, then waits for the process to exit; returns its exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(cts.Token);
        }
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _lineArrived.Dispose();
    }
}
