using System.Diagnostics;
using Bot.Testing;

namespace Bot.Bench.Load;

/// <summary>
/// Where our server's CPU goes: starts it with perf maps on (<c>DOTNET_PerfMapEnabled=1</c>), warms it up, and records
/// CPU samples with Linux <c>perf record -g</c> while one kind of request is sent; read them with
/// <c>perf report -i &lt;file&gt; --no-children --sort symbol</c>.
/// </summary>
public static class ProfileBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var kind = Arg(args, "--kind", "help");
        var concurrency = int.Parse(Arg(args, "--concurrency", "64"), System.Globalization.CultureInfo.InvariantCulture);
        var seconds = int.Parse(Arg(args, "--seconds", "15"), System.Globalization.CultureInfo.InvariantCulture);
        var output = Path.GetFullPath(Arg(args, "--out", $"bench/results/{kind}-c{concurrency}.perf.data"));

        await using var sink = await NullSink.StartAsync();
        var requests = new SignedRequests(Servers.SlackSecret, Servers.PagerDutySecret, sink.ResponseUrl);
        var sqlite = TestStorage.NewSqlitePath();
        await using (var server = await Servers.StartOursAsync(sink, sqlite, new Dictionary<string, string> { ["DOTNET_PerfMapEnabled"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" }))
        {
            await LoadRun.RunAsync(server, kind, Enumerable.Range(0, 2000).Select(i => requests.Make(kind, i)).ToList(), 8, TimeSpan.FromSeconds(30));
            var prepared = Enumerable.Range(0, 200_000).Select(i => requests.Make(kind, i)).ToList();
            using var trace = Process.Start(new ProcessStartInfo("perf",
                ["record", "-F", "499", "-g", "-o", output, "-p", server.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--", "sleep", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
            await Task.Delay(500);
            var result = await LoadRun.RunAsync(server, kind, prepared, concurrency, TimeSpan.FromSeconds(seconds - 2));
            Console.WriteLine(result);
            await trace.WaitForExitAsync();
            Console.WriteLine($"trace: {output}");
        }
        TestStorage.Delete(sqlite);
        return 0;
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
