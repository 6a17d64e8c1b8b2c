using System.Collections.Concurrent;
using System.Text;
using Bot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.IntegrationTests.Reliability;

/// <summary>
/// One call as the proxy saw it: the operation (e.g. <c>UpdateAlias</c>, <c>TransactWriteItems</c>, <c>PagerDuty.Acknowledge</c>),
/// the request body, and the status the upstream answered (or, when the proxy answered instead, the proxy's).
/// </summary>
public sealed record ProxiedCall(string Operation, string Method, string Path, int Status, string Body = "");

/// <summary>
/// An answer the proxy gives in the upstream's place. With <see cref="AfterForwarding"/> the upstream acted on the call
/// first and its answer is lost: the bot hears this one instead (a 5xx after the work was done).
/// </summary>
public sealed record ProxyAnswer(int Status, string Body, string ContentType = "application/json", bool AfterForwarding = false,
    IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>An AWS JSON-protocol error (DynamoDB, CloudWatch): <c>{"__type":…,"message":…}</c>.</summary>
    public static ProxyAnswer AwsJsonError(int status, string code, string message) =>
        new(status, $$"""{"__type":"com.amazonaws.dynamodb.v20120810#{{code}}","message":"{{message}}"}""", "application/x-amz-json-1.0");

    /// <summary>A PagerDuty REST error: <c>{"error":{"message","code"}}</c>.</summary>
    public static ProxyAnswer PagerDutyError(int status, bool afterForwarding = false) =>
        new(status, $$$"""{"error":{"message":"Internal Server Error","code":{{{status}}}}}""", AfterForwarding: afterForwarding);
}

/// <summary>
/// A loopback proxy between the bot and a service it calls (the sandbox account's AWS and PagerDuty APIs, or DynamoDB
/// Local): it names every call's operation, records it, and runs the test's hooks just before the call reaches the
/// service and just after the service answered (before the bot hears it) — where a fault suite kills the bot, drops a
/// connection, or answers with an error instead.
/// </summary>
public sealed class SandboxProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly ConcurrentQueue<ProxiedCall> _calls = new();

    private SandboxProxy(WebApplication app, Uri address, HttpClient upstream)
    {
        _app = app;
        BaseAddress = address;
        _upstream = upstream;
    }

    public Uri BaseAddress { get; }
    public IReadOnlyList<ProxiedCall> Calls => _calls.ToArray();

    /// <summary>Before the call reaches the service; return false to drop it (the bot sees its connection fail).</summary>
    public Func<ProxiedCall, Task<bool>>? Before { get; set; }

    /// <summary>After the service acted on the call, before the bot hears the answer; return false to drop the answer.</summary>
    public Func<ProxiedCall, Task<bool>>? After { get; set; }

    /// <summary>An answer to give instead of the service's (null: forward as usual).</summary>
    public Func<ProxiedCall, ProxyAnswer?>? Answer { get; set; }

    /// <summary>Calls of <paramref name="operation"/> the service carried out (answered 2xx).</summary>
    public int Count(string operation) => _calls.Count(c => c.Operation == operation && c.Status is >= 200 and < 300);

    public static async Task<SandboxProxy> StartAsync(Uri upstreamAddress)
    {
        SandboxProxy? proxy = null;
        var upstream = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = upstreamAddress, Timeout = TimeSpan.FromSeconds(30) };
        var (app, address) = await LoopbackApp.StartAsync(context => proxy!.ForwardAsync(context));
        proxy = new SandboxProxy(app, address, upstream);
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var bytes = body.ToArray();
        var text = Encoding.UTF8.GetString(bytes);
        var call = new ProxiedCall(Operation(context.Request, text), context.Request.Method, context.Request.Path.Value ?? "/", 0, text);
        if (Before is { } before && !await before(call))
        {
            context.Abort();
            return;
        }
        var canned = Answer?.Invoke(call);
        if (canned is { AfterForwarding: false })
        {
            _calls.Enqueue(call with { Status = canned.Status });
            await WriteAsync(context, canned.Status, canned.Headers ?? new Dictionary<string, string>(), canned.ContentType, Encoding.UTF8.GetBytes(canned.Body));
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
        if (canned is not null)
        {
            await WriteAsync(context, canned.Status, canned.Headers ?? new Dictionary<string, string>(), canned.ContentType, Encoding.UTF8.GetBytes(canned.Body));
            return;
        }

        var headers = answer.Headers.Concat(answer.Content.Headers)
            .Where(h => !h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                        && !h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        await WriteAsync(context, (int)answer.StatusCode, headers, answer.Content.Headers.ContentType?.ToString(), answerBytes);
    }

    private static async Task WriteAsync(HttpContext context, int status, IReadOnlyDictionary<string, string> headers, string? contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers) context.Response.Headers[name] = value;
        if (contentType is not null) context.Response.ContentType = contentType;
        try
        {
            await context.Response.Body.WriteAsync(body);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The bot is gone.
        }
    }

    /// <summary>
    /// The operation: <c>X-Amz-Target</c>'s action, a query protocol's <c>Action</c>, Lambda's REST route, or PagerDuty's
    /// (<c>PagerDuty.Acknowledge</c>, <c>PagerDuty.Escalate</c>, <c>PagerDuty.GetIncident</c> …).
    /// </summary>
    private static string Operation(HttpRequest request, string body)
    {
        if (request.Headers["X-Amz-Target"].FirstOrDefault() is { Length: > 0 } target) return target[(target.LastIndexOf('.') + 1)..];
        var path = request.Path.Value ?? "";
        var method = request.Method;
        if (path.StartsWith("/pagerduty/", StringComparison.Ordinal)) return PagerDutyOperation(method, path, body);
        if (body.StartsWith("Action=", StringComparison.Ordinal) || body.Contains("&Action=", StringComparison.Ordinal))
            return Uri.UnescapeDataString(body.Split('&').First(p => p.StartsWith("Action=", StringComparison.Ordinal))[7..]);
        if (path.Contains("/aliases/", StringComparison.Ordinal)) return method == "PUT" ? "UpdateAlias" : method == "GET" ? "GetAlias" : "Lambda " + method;
        if (path.EndsWith("/versions", StringComparison.Ordinal)) return method == "POST" ? "PublishVersion" : "ListVersionsByFunction";
        if (path.EndsWith("/configuration", StringComparison.Ordinal)) return method == "PUT" ? "UpdateFunctionConfiguration" : "GetFunctionConfiguration";
        if (path.Contains("/functions/", StringComparison.Ordinal) && method == "GET") return "GetFunction";
        return $"{method} {path}";
    }

    private static string PagerDutyOperation(string method, string path, string body)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var resource = segments.Length > 1 ? segments[1] : "";
        return (method, resource, segments.Length) switch
        {
            ("PUT", "incidents", 3) when body.Contains("\"escalation_level\"", StringComparison.Ordinal) => "PagerDuty.Escalate",
            ("PUT", "incidents", 3) when body.Contains("\"acknowledged\"", StringComparison.Ordinal) => "PagerDuty.Acknowledge",
            ("PUT", "incidents", 3) when body.Contains("\"resolved\"", StringComparison.Ordinal) => "PagerDuty.Resolve",
            ("PUT", "incidents", 3) => "PagerDuty.UpdateIncident",
            ("GET", "incidents", 3) => "PagerDuty.GetIncident",
            ("GET", "incidents", 2) => "PagerDuty.ListIncidents",
            ("POST", "incidents", 4) when segments[3] == "snooze" => "PagerDuty.Snooze",
            ("POST", "incidents", 4) when segments[3] == "notes" => "PagerDuty.AddNote",
            ("GET", "oncalls", _) => "PagerDuty.ListOnCalls",
            ("GET", "users", _) => "PagerDuty.ListUsers",
            _ => $"PagerDuty {method} {path}",
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
