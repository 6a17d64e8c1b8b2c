using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Bot.Hosting;
using Bot.Sandbox.Account;
using Bot.Slack;
using Bot.Testing.Slack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Bench;

/// <summary>
/// <c>/sb health</c> end to end: a signed slash command to the bot's real Kestrel server, the health
/// probes against the in-process sandbox over SigV4 HTTP (every call delayed, one operation much
/// more), and the answer arriving at a Slack stand-in through response_url. All on 127.0.0.1.
/// </summary>
public static class HealthBenchmark
{
    private const string SigningSecret = "bench-signing-secret-0000000000000000";

    public static async Task<int> RunAsync(string[] args)
    {
        var latency = TimeSpan.FromMilliseconds(Int(args, "--latency", 100));
        var slow = TimeSpan.FromMilliseconds(Int(args, "--slow-ms", 1000));
        var slowOperation = Str(args, "--slow-op", "GetMetricData");
        var runs = Int(args, "--runs", 10);
        var warmup = Int(args, "--warmup", 2);

        await using var slack = await SlackApiFake.StartAsync();
        var calls = new AwsCallRecorder();
        var app = BuildBot(slack, calls);
        await app.StartAsync();
        try
        {
            var faults = app.Services.GetRequiredService<SandboxAccount>().Faults;
            if (latency > TimeSpan.Zero) faults.Latency(latency);
            if (slow > TimeSpan.Zero) faults.Latency(slow, slowOperation);

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            var signer = new SlackRequestSigner(SigningSecret);

            Console.WriteLine($"/sb health: every AWS call +{latency.TotalMilliseconds:0} ms, {slowOperation} +{slow.TotalMilliseconds:0} ms; {warmup} warm-up + {runs} measured runs");
            Console.WriteLine($"{"run",4} {"ack ms",8} {"final ms",9} {"slowest call ms",16} {"ratio",6} {"aws calls",10}");
            var results = new List<(double Ack, double Final, double Slowest)>();
            for (var i = 0; i < warmup + runs; i++)
            {
                calls.Reset();
                var id = $"bench-{i}";
                var started = DateTimeOffset.UtcNow;
                var stopwatch = Stopwatch.StartNew();
                using var ack = await http.SendAsync(signer.Form("/slack/commands",
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
            Console.WriteLine($"ack     median {Median(results.Select(r => r.Ack)):0.0} ms, max {results.Max(r => r.Ack):0.0} ms   (goal ≤ 50 ms)");
            Console.WriteLine($"final   median {Median(results.Select(r => r.Final)):0.0} ms, max {results.Max(r => r.Final):0.0} ms");
            Console.WriteLine($"slowest median {Median(results.Select(r => r.Slowest)):0.0} ms");
            Console.WriteLine($"ratio   median {Median(results.Select(r => r.Final / r.Slowest)):0.00}, max {results.Max(r => r.Final / r.Slowest):0.00}   (goal ≤ 1.2)");
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static WebApplication BuildBot(SlackApiFake slack, AwsCallRecorder calls)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = SigningSecret,
            ["Slack:BotToken"] = "xoxb-bench",
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Slack:TeamId"] = "T0TEAM",
            ["Sandbox:Enabled"] = "true",
            ["Sandbox:StartWithOpenIncident"] = "true",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddBotServices();
        builder.AddSlackTransport();
        // Outermost handler of every typed client: times each AWS call including its retries.
        builder.Services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(() => new TimingHandler(calls)));
        var app = builder.Build();
        app.MapSlackEndpoints();
        app.MapProbes();
        return app;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int Int(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }

    private static string Str(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private sealed class AwsCallRecorder
    {
        private ConcurrentBag<TimeSpan> _durations = [];
        public void Add(TimeSpan d) => _durations.Add(d);
        public void Reset() => _durations = [];
        public int Count => _durations.Count;
        public TimeSpan Slowest => _durations.DefaultIfEmpty(TimeSpan.Zero).Max();
    }

    private sealed class TimingHandler(AwsCallRecorder calls) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var stopwatch = Stopwatch.StartNew();
            var response = await base.SendAsync(request, cancellationToken);
            // Only AWS calls (the Slack client shares these defaults): they carry X-Amz-Target or go to /20xx-xx-xx/ paths.
            if (request.Headers.Contains("X-Amz-Target") || request.Headers.Contains("X-Amz-Date") || request.RequestUri?.AbsolutePath.StartsWith("/20", StringComparison.Ordinal) == true)
                calls.Add(stopwatch.Elapsed);
            return response;
        }
    }
}
