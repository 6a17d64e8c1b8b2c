using System.Globalization;
using Bot.Testing;

namespace Bot.Bench.Load;

/// <summary>
/// Ours against Slack Bolt for JavaScript, in one run on this machine: each server in its own process on loopback,
/// the same signed requests from the same generator, follow-ups to the same null sink. Reports throughput, latency
/// percentiles, the server's CPU per request, peak RSS, start to ready and idle CPU, and ours as ratios to Bolt's.
/// </summary>
public static class CompareBenchmark
{
    private sealed record Plan(string Kind, int Concurrency, int Count, bool BoltToo = true);

    public static async Task<int> RunAsync(string[] args)
    {
        var scale = Double(args, "--scale", 1.0);
        var duration = TimeSpan.FromSeconds(Double(args, "--max-seconds", 30));
        var idle = TimeSpan.FromSeconds(Double(args, "--idle-seconds", 30));
        var only = Str(args, "--only", null);
        // --bot-dll: our server from another build, e.g. as published (ReadyToRun) for the container image.
        var botDll = Str(args, "--bot-dll", null);
        // --env K=V (repeatable): extra environment for our server, to try runtime settings.
        var extra = args.Select((a, i) => (a, i)).Where(x => x.a == "--env" && x.i + 1 < args.Length)
            .Select(x => args[x.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
        var plans = new List<Plan>
        {
            new("help", 1, (int)(3000 * scale)),
            new("help", 64, (int)(20000 * scale)),
            new("click", 64, (int)(10000 * scale)),
            new("event", 64, (int)(10000 * scale)),
            new("pagerduty", 64, (int)(5000 * scale), BoltToo: false),
        };

        // --runs help:1,event:64 keeps only those runs (to try one change quickly); the table needs them all.
        if (Str(args, "--runs", null) is { } keep)
        {
            var wanted = keep.Split(',').ToHashSet();
            plans.RemoveAll(p => !wanted.Contains($"{p.Kind}:{p.Concurrency}"));
        }

        await using var sink = await NullSink.StartAsync();
        var requests = new SignedRequests(Servers.SlackSecret, Servers.PagerDutySecret, sink.ResponseUrl);
        Console.WriteLine($"{Environment.ProcessorCount} cores; {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; scale {scale}, at most {duration.TotalSeconds:0} s a run");

        var results = new Dictionary<string, ServerFigures>();
        foreach (var who in new[] { "bolt", "ours" })
        {
            if (only is not null && only != who) continue;
            var sqlite = TestStorage.NewSqlitePath(); // its own folder: Delete removes the folder
            await using var server = who == "ours" ? await Servers.StartOursAsync(sink, sqlite, extra, botDll) : await Servers.StartBoltAsync(sink);
            var figures = new ServerFigures { StartToReady = server.StartToReady };
            Console.WriteLine($"{who}: ready in {server.StartToReady.TotalMilliseconds:0} ms (pid {server.Pid}, RSS {server.RssMb():0} MB)");

            figures.IdleCpuPercent = await IdleCpuAsync(server, idle);
            Console.WriteLine($"{who}: idle {figures.IdleCpuPercent:0.00} % of a core over {idle.TotalSeconds:0} s");

            // Warm-up: the JIT (ours) and V8 (Bolt) compile the hot paths; not counted.
            await LoadRun.RunAsync(server, "help", Prepare(requests, "help", 500), 8, duration);
            foreach (var plan in plans.Where(p => who == "ours" || p.BoltToo))
            {
                var result = await LoadRun.RunAsync(server, plan.Kind, Prepare(requests, plan.Kind, plan.Count), plan.Concurrency, duration);
                figures.Runs[(plan.Kind, plan.Concurrency)] = result;
                Console.WriteLine($"{who,-5} {result}");
            }
            figures.PeakRssMb = server.PeakRssMb();
            results[who] = figures;
            TestStorage.Delete(sqlite);
        }

        if (results.Count == 2) Console.WriteLine(Table(results["bolt"], results["ours"]));
        Console.WriteLine($"null sink received {sink.Requests} follow-up(s)");
        return 0;
    }

    private static List<PreparedRequest> Prepare(SignedRequests requests, string kind, int count) =>
        Enumerable.Range(0, count).Select(i => requests.Make(kind, i)).ToList();

    private static async Task<double> IdleCpuAsync(ServerProcess server, TimeSpan window)
    {
        await Task.Delay(TimeSpan.FromSeconds(3)); // start-up work settles
        var before = server.CpuTime();
        await Task.Delay(window);
        return (server.CpuTime() - before) / window * 100;
    }

    private sealed class ServerFigures
    {
        public TimeSpan StartToReady { get; set; }
        public double IdleCpuPercent { get; set; }
        public double PeakRssMb { get; set; }
        public Dictionary<(string Kind, int Concurrency), LoadResult> Runs { get; } = [];
    }

    private static string Table(ServerFigures bolt, ServerFigures ours)
    {
        var rows = new List<string>
        {
            "| | Bolt | ours | ours / Bolt |",
            "|---|---|---|---|",
        };
        void Row(string name, double b, double o, string format) =>
            rows.Add($"| {name} | {b.ToString(format, CultureInfo.InvariantCulture)} | {o.ToString(format, CultureInfo.InvariantCulture)} | {(b == 0 ? "—" : (o / b).ToString("0.00", CultureInfo.InvariantCulture))}× |");
        foreach (var key in bolt.Runs.Keys.Where(ours.Runs.ContainsKey))
        {
            var (b, o) = (bolt.Runs[key], ours.Runs[key]);
            var name = $"{key.Kind} c={key.Concurrency}";
            Row($"{name} throughput (req/s)", b.RequestsPerSecond, o.RequestsPerSecond, "0");
            Row($"{name} server CPU per request (µs)", b.CpuMicrosPerRequest, o.CpuMicrosPerRequest, "0");
            Row($"{name} p50 / p99 (ms)", b.Percentile(0.99), o.Percentile(0.99), "0.0");
            rows[^1] = $"| {name} p50 / p99 (ms) | {b.Percentile(0.5):0.0} / {b.Percentile(0.99):0.0} | {o.Percentile(0.5):0.0} / {o.Percentile(0.99):0.0} | {(o.Percentile(0.99) / b.Percentile(0.99)):0.00}× (p99) |";
        }
        Row("peak RSS (MB)", bolt.PeakRssMb, ours.PeakRssMb, "0");
        Row("start to ready (ms)", bolt.StartToReady.TotalMilliseconds, ours.StartToReady.TotalMilliseconds, "0");
        Row("idle CPU (% of a core)", bolt.IdleCpuPercent, ours.IdleCpuPercent, "0.00");
        return string.Join('\n', rows);
    }

    private static double Double(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string? Str(string[] args, string name, string? fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
