using System.Collections.Concurrent;
using System.Globalization;
using Bot.Testing;
using Bot.Testing.DynamoDb;
using Microsoft.AspNetCore.Http;

namespace Bot.Bench.Load;

/// <summary>
/// What an idle instance costs: our server started with nothing to do, on SQLite and on DynamoDB (AWS's DynamoDB
/// Local, behind a loopback proxy that counts every request by operation), measured over a window after start-up
/// settled: CPU (% of a core) and store requests per second. <c>--bot-dll</c> runs another build (e.g. an older commit)
/// the same way, for a before/after.
/// </summary>
public static class IdleBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = double.Parse(Arg(args, "--seconds", "60"), CultureInfo.InvariantCulture);
        var stores = Arg(args, "--store", "both");
        var dll = Arg(args, "--bot-dll", Path.Combine(AppContext.BaseDirectory, "Bot.dll"));
        Console.WriteLine($"idle: {dll}, {seconds:0} s window");
        await using var sink = await NullSink.StartAsync();

        if (stores is "both" or "sqlite")
        {
            var sqlite = TestStorage.NewSqlitePath();
            await using (var server = await Servers.StartOursAsync(sink, sqlite, new Dictionary<string, string>(), dll))
            {
                var cpu = await IdleCpuAsync(server, TimeSpan.FromSeconds(seconds));
                Console.WriteLine($"sqlite:   idle CPU {cpu:0.000} % of a core, RSS {server.RssMb():0} MB");
            }
            TestStorage.Delete(sqlite);
        }

        if (stores is "both" or "dynamodb")
        {
            await using var dynamo = await DynamoDbLocalServer.StartAsync();
            var counts = new ConcurrentDictionary<string, int>();
            using var upstream = new HttpClient { BaseAddress = new Uri(dynamo.ServiceUrl) };
            var (proxy, address) = await LoopbackApp.StartAsync(context => ForwardAsync(context, upstream, counts));
            await using (proxy)
            {
                var table = "sb-idle-" + Guid.NewGuid().ToString("N")[..8];
                await using var server = await Servers.StartOursAsync(sink, "", new Dictionary<string, string>
                {
                    ["Store__Provider"] = "dynamodb",
                    ["Store__DynamoDbTable"] = table,
                    ["Store__CreateTable"] = "true",
                    ["AWS_ENDPOINT_URL_DYNAMODB"] = address.ToString().TrimEnd('/'),
                }, dll);
                await Task.Delay(TimeSpan.FromSeconds(3));
                counts.Clear();
                var cpu = await IdleCpuAsync(server, TimeSpan.FromSeconds(seconds), settle: false);
                var total = counts.Values.Sum();
                Console.WriteLine($"dynamodb: idle CPU {cpu:0.000} % of a core, {total} store requests in {seconds:0} s = {total / seconds:0.00}/s " +
                                  $"({total / seconds * 86400:0} a day): {string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}"))}");
            }
        }
        return 0;
    }

    private static async Task ForwardAsync(HttpContext context, HttpClient upstream, ConcurrentDictionary<string, int> counts)
    {
        var target = context.Request.Headers["X-Amz-Target"].FirstOrDefault() ?? "?";
        counts.AddOrUpdate(target[(target.LastIndexOf('.') + 1)..], 1, (_, n) => n + 1);
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString) { Content = new ByteArrayContent(body.ToArray()) };
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name is "Host" or "Content-Length") continue;
            if (!forward.Headers.TryAddWithoutValidation(name, values.ToArray())) forward.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        using var answer = await upstream.SendAsync(forward);
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Content.Headers) context.Response.Headers[name] = values.ToArray();
        context.Response.Headers.Remove("Content-Length");
        await context.Response.Body.WriteAsync(await answer.Content.ReadAsByteArrayAsync());
    }

    private static async Task<double> IdleCpuAsync(ServerProcess server, TimeSpan window, bool settle = true)
    {
        if (settle) await Task.Delay(TimeSpan.FromSeconds(3));
        var before = server.CpuTime();
        await Task.Delay(window);
        return (server.CpuTime() - before) / window * 100;
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
