using System.Diagnostics;
using System.Net;

namespace Bot.Bench.Load;

/// <summary>The figures of one load run against one server.</summary>
public sealed record LoadResult(string Kind, int Concurrency, int Requests, int Failures, TimeSpan Elapsed, double[] LatenciesMs, TimeSpan ServerCpu, double PeakRssMb)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
    public double CpuMicrosPerRequest => ServerCpu.TotalMicroseconds / Math.Max(1, Requests);
    public double Percentile(double p) => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)(p * LatenciesMs.Length))];
    public double Max => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[^1];
    /// <summary>What the first failed request got (a status code or the connection error), to tell overload from a mistake.</summary>
    public string? FirstFailure { get; init; }

    public override string ToString() =>
        $"{Kind,-10} c={Concurrency,-3} {Requests,6} req {Failures,4} failed  {RequestsPerSecond,7:0} req/s  p50 {Percentile(0.5),6:0.00}  p90 {Percentile(0.9),6:0.00}  " +
        $"p99 {Percentile(0.99),6:0.00}  max {Max,7:0.00} ms  server CPU {CpuMicrosPerRequest,6:0} µs/req  peak RSS {PeakRssMb,5:0} MB" +
        (FirstFailure is null ? "" : $"  (first failure: {FirstFailure})");
}

/// <summary>
/// A closed-loop load generator: <c>concurrency</c> clients each send the next prepared request as soon as their
/// previous one was answered, until <c>count</c> requests were sent or <c>maxDuration</c> passed (both bound every
/// run). Requests are signed beforehand; a request counts as failed unless answered 2xx.
/// </summary>
public static class LoadRun
{
    public static HttpClient Client(Uri baseAddress, int concurrency) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = concurrency,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>The server's CPU time once it used less than 2 % of a core for half a second (at most a minute later).</summary>
    public static async Task<TimeSpan> QuietCpuAsync(ServerProcess server)
    {
        var window = TimeSpan.FromMilliseconds(250);
        var last = server.CpuTime();
        var quiet = 0;
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromMinutes(1) && quiet < 2; waited += window)
        {
            await Task.Delay(window);
            var now = server.CpuTime();
            quiet = now - last < window * 0.02 ? quiet + 1 : 0;
            last = now;
        }
        return last;
    }

    public static async Task<LoadResult> RunAsync(ServerProcess server, string kind, IReadOnlyList<PreparedRequest> requests, int concurrency, TimeSpan maxDuration)
    {
        using var http = Client(server.BaseAddress, concurrency);
        var latencies = new double[requests.Count];
        var next = -1;
        var failures = 0;
        string? firstFailure = null;
        var cpuBefore = server.CpuTime();
        var total = Stopwatch.StartNew();
        var deadline = total.Elapsed + maxDuration;

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Count && total.Elapsed < deadline)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var message = requests[i].ToMessage();
                    using var response = await http.SendAsync(message);
                    await response.Content.ReadAsByteArrayAsync();
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failures);
                        firstFailure ??= $"HTTP {(int)response.StatusCode}";
                    }
                }
                catch (HttpRequestException e)
                {
                    Interlocked.Increment(ref failures);
                    firstFailure ??= e.Message;
                }
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));

        var elapsed = total.Elapsed;
        var sent = Math.Min(requests.Count, next);
        // The work a server left for after the ack (follow-ups, audit records) is part of a request's cost: CPU is read
        // once the server has gone quiet again.
        var cpu = await QuietCpuAsync(server) - cpuBefore;
        var sorted = latencies.Take(sent).Order().ToArray();
        return new LoadResult(kind, concurrency, sent, failures, elapsed, sorted, cpu, server.PeakRssMb()) { FirstFailure = firstFailure };
    }
}
