namespace Bot.Hosting;

/// <summary>
/// <c>dotnet Bot.dll probe http://127.0.0.1:8080/healthz</c>: asks a probe URL once and exits 0 when it answers 2xx,
/// 1 otherwise. The container's health check (the runtime image has no curl); only loopback URLs are asked.
/// </summary>
public static class ProbeMode
{
    public const string Verb = "probe";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static bool IsProbeMode(string[] args) => args.Length > 0 && args[0] == Verb;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 2 || !Uri.TryCreate(args[1], UriKind.Absolute, out var url) || !url.IsLoopback)
        {
            await Console.Error.WriteLineAsync("usage: Bot probe http://127.0.0.1:8080/healthz  (a loopback URL)");
            return 2;
        }
        using var http = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await http.GetAsync(url);
            await Console.Out.WriteLineAsync($"{url.AbsolutePath}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Out.WriteLineAsync($"{url.AbsolutePath}: no answer ({e.GetType().Name})");
            return 1;
        }
    }
}
