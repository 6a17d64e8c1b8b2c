using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Bot.Testing.Slack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.PagerDuty;

/// <summary>One request the PagerDuty fake received: method, path, query, every header, body, and the status it got.</summary>
public sealed record PagerDutyRequest(string Method, string Path, IReadOnlyDictionary<string, string[]> Query, IReadOnlyDictionary<string, string> Headers, string Body, int Status)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    public IReadOnlyList<string> QueryValues(string name) => Query.TryGetValue(name, out var values) ? values : [];
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// PagerDuty's REST API v2 and Events API v2 as a scripted stand-in on a free loopback port. It records
/// every request with all its headers and answers with PagerDuty's documented example bodies from the
/// vendored fixtures (<c>pagerduty/rest</c>, <c>pagerduty/events-v2</c>), or with scripted answers first.
/// Point <c>PagerDuty__ApiBaseUrl</c> and <c>PagerDuty__EventsBaseUrl</c> at <see cref="BaseUrl"/>. It also stands in
/// for a webhook subscriber: <c>POST /pagerduty/webhooks</c> is answered 202 (see <see cref="WebhookUrl"/>).
/// </summary>
public sealed class PagerDutyApiFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ScriptedResponse>> _scripts = new(StringComparer.Ordinal);
    private readonly ArrivalLog<PagerDutyRequest> _requests = new();

    private PagerDutyApiFake(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<PagerDutyRequest> Requests => _requests.Items;

    /// <summary>A subscriber URL on this fake.</summary>
    public Uri WebhookUrl => new(BaseUrl + "pagerduty/webhooks");

    /// <summary>Waits until at least <paramref name="count"/> requests matching <paramref name="predicate"/> arrived.</summary>
    public Task<IReadOnlyList<PagerDutyRequest>> WaitForAsync(Func<PagerDutyRequest, bool> predicate, int count = 1, TimeSpan? timeout = null) =>
        _requests.WaitForAsync(predicate, count, timeout, r => r.Method + " " + r.Path);

    /// <summary>Requests to <paramref name="method"/> <paramref name="path"/> (e.g. <c>PUT /incidents/PT4KHLK</c>).</summary>
    public IReadOnlyList<PagerDutyRequest> Calls(string method, string path) => _requests.Items.Where(r => r.Method == method && r.Path == path).ToArray();

    public static async Task<PagerDutyApiFake> StartAsync()
    {
        PagerDutyApiFake? fake = null;
        var (app, address) = await LoopbackApp.StartAsync(context => fake!.HandleAsync(context));
        fake = new PagerDutyApiFake(app) { BaseUrl = address.ToString() };
        return fake;
    }

    /// <summary>Queue answers for <c>"{METHOD} {path}"</c>, played in order before the fixture default.</summary>
    public void Script(string method, string path, params ScriptedResponse[] responses)
    {
        var queue = _scripts.GetOrAdd($"{method} {path}", _ => new ConcurrentQueue<ScriptedResponse>());
        foreach (var response in responses) queue.Enqueue(response);
    }

    /// <summary>A PagerDuty error answer: <c>{"error":{"code","message","errors"}}</c>.</summary>
    public static ScriptedResponse Error(int status, int code, string message, params string[] errors) =>
        new(status, JsonSerializer.Serialize(new { error = new { message, code, errors } }));

    /// <summary>The <c>body</c> of a fixture file under <c>pagerduty/</c>, as JSON text.</summary>
    public static string FixtureBody(string relative) =>
        JsonDocument.Parse(Fixtures.ReadText("pagerduty/" + relative)).RootElement.GetProperty("body").GetRawText();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        var scripted = _scripts.TryGetValue($"{method} {path}", out var queue) && queue.TryDequeue(out var next) ? next : null;
        var answer = scripted ?? Default(method, path);
        _requests.Add(new PagerDutyRequest(method, path,
            context.Request.Query.ToDictionary(q => q.Key, q => q.Value.Select(v => v ?? "").ToArray(), StringComparer.Ordinal),
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body, answer.Status));

        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body);
    }

    private static ScriptedResponse Default(string method, string path) => (method, path) switch
    {
        ("GET", "/incidents") => new(200, $$"""{"incidents":[{{FixtureIncident()}}],"limit":100,"offset":0,"more":false,"total":null}"""),
        ("GET", _) when path.StartsWith("/incidents/", StringComparison.Ordinal) => new(200, FixtureBody("rest/get-incident.response.json")),
        ("PUT", _) when path.StartsWith("/incidents/", StringComparison.Ordinal) => new(200, FixtureBody("rest/update-incident.response.json")),
        ("POST", _) when path.EndsWith("/notes", StringComparison.Ordinal) => new(201, FixtureBody("rest/create-incident-note.response.json")),
        ("POST", _) when path.EndsWith("/snooze", StringComparison.Ordinal) => new(201, FixtureBody("rest/update-incident.response.json")),
        ("GET", "/oncalls") => new(200, FixtureBody("rest/list-oncalls.response.json")),
        ("GET", "/users") => new(200, """{"users":[],"limit":100,"offset":0,"more":false,"total":null}"""),
        ("POST", "/v2/enqueue") => new(202, FixtureBody("events-v2/enqueue.response-202.json")),
        ("POST", "/pagerduty/webhooks") => new(202, """{"status":"stored"}"""),
        _ => Error(404, 2100, "Not Found"),
    };

    private static string FixtureIncident() =>
        JsonDocument.Parse(FixtureBody("rest/get-incident.response.json")).RootElement.GetProperty("incident").GetRawText();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _requests.Dispose();
    }
}
