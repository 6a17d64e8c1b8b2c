using System.Text;
using Bot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Bench.Load;

/// <summary>
/// Where the servers' follow-ups go during a load run, on loopback: <c>response_url</c> posts are answered <c>ok</c>,
/// Web API calls <c>{"ok":true}</c> with a <c>ts</c>, anything else (PagerDuty REST) <c>{}</c>. Counts what arrived.
/// </summary>
public sealed class NullSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;

    private NullSink(WebApplication app, Uri address)
    {
        _app = app;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }
    public string ResponseUrl => new Uri(BaseAddress, "response/1").ToString();
    public string ApiBaseUrl => new Uri(BaseAddress, "api/").ToString();
    public long Requests => Interlocked.Read(ref _requests);

    public static async Task<NullSink> StartAsync()
    {
        NullSink? sink = null;
        var okTs = Encoding.UTF8.GetBytes("""{"ok":true,"channel":"C0OPS","ts":"1764500000.000100"}""");
        var ok = Encoding.UTF8.GetBytes("ok");
        var empty = Encoding.UTF8.GetBytes("{}");
        var (app, address) = await LoopbackApp.StartAsync(async context =>
        {
            Interlocked.Increment(ref sink!._requests);
            await context.Request.Body.CopyToAsync(Stream.Null);
            var path = context.Request.Path.Value ?? "";
            var body = path.StartsWith("/response/", StringComparison.Ordinal) ? ok : path.StartsWith("/api/", StringComparison.Ordinal) ? okTs : empty;
            context.Response.ContentType = body == ok ? "text/plain" : "application/json";
            await context.Response.Body.WriteAsync(body);
        });
        sink = new NullSink(app, address);
        return sink;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
