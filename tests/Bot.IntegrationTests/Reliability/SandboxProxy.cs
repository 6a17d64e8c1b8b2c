using System.Collections.Concurrent;
using System.Text;
using Bot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.IntegrationTests.Reliability;

/// <summary>One AWS call as the proxy saw it: the operation (e.g. <c>UpdateAlias</c>, <c>GetMetricData</c>) and AWS's answer.</summary>
public sealed record AwsCall(string Operation, string Method, string Path, int Status);

/// <summary>
/// A loopback proxy between the bot (its <c>AWS_ENDPOINT_URL</c>) and the sandbox account: it names every call's
/// operation, records it, and runs the test's hooks just before the call reaches the sandbox and just after the
/// sandbox answered (before the bot hears it), which is where a fault suite kills the bot.
/// </summary>
public sealed class AwsProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly ConcurrentQueue<AwsCall> _calls = new();

    private AwsProxy(WebApplication app, Uri address, HttpClient upstream)
    {
        _app = app;
        BaseAddress = address;
        _upstream = upstream;
    }

    public Uri BaseAddress { get; }
    public IReadOnlyList<AwsCall> Calls => _calls.ToArray();

    /// <summary>Before the call reaches the sandbox; return false to drop it (the bot sees its connection fail).</summary>
    public Func<AwsCall, Task<bool>>? Before { get; set; }

    /// <summary>After the sandbox acted on the call, before the bot hears the answer; return false to drop the answer.</summary>
    public Func<AwsCall, Task<bool>>? After { get; set; }

    public int Count(string operation) => _calls.Count(c => c.Operation == operation && c.Status is >= 200 and < 300);

    public static async Task<AwsProxy> StartAsync(Uri sandbox)
    {
        AwsProxy? proxy = null;
        var upstream = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = sandbox, Timeout = TimeSpan.FromSeconds(30) };
        var (app, address) = await LoopbackApp.StartAsync(context => proxy!.ForwardAsync(context));
        proxy = new AwsProxy(app, address, upstream);
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var bytes = body.ToArray();
        var operation = Operation(context.Request, bytes);
        var call = new AwsCall(operation, context.Request.Method, context.Request.Path.Value ?? "/", 0);
        if (Before is { } before && !await before(call))
        {
            context.Abort();
            return;
        }

        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString) { Content = new ByteArrayContent(bytes) };
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            if (!forward.Headers.TryAddWithoutValidation(name, values.ToArray())) forward.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        using var answer = await _upstream.SendAsync(forward);
        var answerBytes = await answer.Content.ReadAsByteArrayAsync();
        call = call with { Status = (int)answer.StatusCode };
        _calls.Enqueue(call);
        if (After is { } after && !await after(call))
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            context.Response.Headers[name] = values.ToArray();
        }
        try
        {
            await context.Response.Body.WriteAsync(answerBytes);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The bot is gone.
        }
    }

    /// <summary>The AWS operation: <c>X-Amz-Target</c>'s action, a query protocol's <c>Action</c>, or Lambda's REST route.</summary>
    private static string Operation(HttpRequest request, byte[] body)
    {
        if (request.Headers["X-Amz-Target"].FirstOrDefault() is { Length: > 0 } target) return target[(target.LastIndexOf('.') + 1)..];
        var text = Encoding.UTF8.GetString(body);
        if (text.StartsWith("Action=", StringComparison.Ordinal) || text.Contains("&Action=", StringComparison.Ordinal))
            return Uri.UnescapeDataString(text.Split('&').First(p => p.StartsWith("Action=", StringComparison.Ordinal))[7..]);
        var path = request.Path.Value ?? "";
        var method = request.Method;
        if (path.Contains("/aliases/", StringComparison.Ordinal)) return method == "PUT" ? "UpdateAlias" : method == "GET" ? "GetAlias" : "Lambda " + method;
        if (path.EndsWith("/versions", StringComparison.Ordinal)) return method == "POST" ? "PublishVersion" : "ListVersionsByFunction";
        if (path.EndsWith("/configuration", StringComparison.Ordinal)) return method == "PUT" ? "UpdateFunctionConfiguration" : "GetFunctionConfiguration";
        if (path.Contains("/functions/", StringComparison.Ordinal) && method == "GET") return "GetFunction";
        return $"{method} {path}";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
