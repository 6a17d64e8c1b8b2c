using System.Diagnostics;
using System.Globalization;
using System.Net;
using Bot.Testing.Slack;

namespace Bot.Bench;

/// <summary>
/// <c>/sb health</c> end to end: a signed slash command to the bot's real Kestrel server, the health
/// probes against the in-process sandbox over SigV4 HTTP (every call delayed, one operation much
/// more), and the answer arriving at a Slack stand-in through response_url. All on 127.0.0.1.
/// </summary>
public static class HealthBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var latency = TimeSpan.FromMilliseconds(BenchArgs.Number(args, "--latency", 100));
        var slow = TimeSpan.FromMilliseconds(BenchArgs.Number(args, "--slow-ms", 1000));
        var slowOperation = BenchArgs.Text(args, "--slow-op", "GetMetricData");
        var runs = BenchArgs.Number(args, "--runs", 10);
        var warmup = BenchArgs.Number(args, "--warmup", 2);

        await using var slack = await SlackApiFake.StartAsync();
        var calls = new AwsCallLog();
        await using var bot = await BenchBot.StartAsync(slack, new Dictionary<string, string?> { ["Sandbox:StartWithOpenIncident"] = "true" }, calls.AddTo);
        var faults = bot.Sandbox.Faults;
        if (latency > TimeSpan.Zero) faults.Latency(latency);
        if (slow > TimeSpan.Zero) faults.Latency(slow, slowOperation);

        using var http = bot.Client();
        Console.WriteLine($"/sb health: every AWS call +{latency.TotalMilliseconds:0} ms, {slowOperation} +{slow.TotalMilliseconds:0} ms; {warmup} warm-up + {runs} measured runs");
        Console.WriteLine($"{"run",4} {"ack ms",8} {"final ms",9} {"slowest call ms",16} {"ratio",6} {"aws calls",10}");
        var results = new List<(double Ack, double Final, double Slowest)>();
        for (var i = 0; i < warmup + runs; i++)
        {
            calls.Reset();
            var id = $"bench-{i}";
            var started = DateTimeOffset.UtcNow;
            var stopwatch = Stopwatch.StartNew();
            using var ack = await http.SendAsync(bot.Signer.Form("/slack/commands",
                SlackRequestSigner.SlashCommandForm("health", slack.ResponseUrl(id))));
            var ackMs = stopwatch.Elapsed.TotalMilliseconds;
            if (ack.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"ack was {(int)ack.StatusCode}");
            var answer = (await slack.WaitForAsync(r => r.Path == $"/response/{id}", timeout: TimeSpan.FromSeconds(30)))[0];
            var finalMs = (answer.At - started).TotalMilliseconds;
            if (!answer.Body.Contains("SecureBase prod health", StringComparison.Ordinal))
                throw new InvalidOperationException("unexpected answer: " + answer.Body[..Math.Min(300, answer.Body.Length)]);
            var slowest = calls.Slowest.TotalMilliseconds;
            var measured = i >= warmup;
            Console.WriteLine($"{(measured ? (i - warmup + 1).ToString(CultureInfo.InvariantCulture) : "w"),4} {ackMs,8:0.0} {finalMs,9:0.0} {slowest,16:0.0} {finalMs / slowest,6:0.00} {calls.Count,10}");
            if (measured) results.Add((ackMs, finalMs, slowest));
        }

        Console.WriteLine();
        Console.WriteLine($"ack     median {Stats.Median(results.Select(r => r.Ack)):0.0} ms, max {results.Max(r => r.Ack):0.0} ms   (goal ≤ 50 ms)");
        Console.WriteLine($"final   median {Stats.Median(results.Select(r => r.Final)):0.0} ms, max {results.Max(r => r.Final):0.0} ms");
        Console.WriteLine($"slowest median {Stats.Median(results.Select(r => r.Slowest)):0.0} ms");
        Console.WriteLine($"ratio   median {Stats.Median(results.Select(r => r.Final / r.Slowest)):0.00}, max {results.Max(r => r.Final / r.Slowest):0.00}   (goal ≤ 1.2)");
        return 0;
    }
}
