using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bot.Testing.Slack;

/// <summary>One HTTP request the fake received, and the HTTP status it was answered with.</summary>
public sealed record RecordedRequest(string Method, string Path, string? ContentType, string? Authorization, string Body, DateTimeOffset At, int Status = 200);

/// <summary>A message Slack took: where, its ts, and the delivery id its sender tagged it with (message metadata).</summary>
public sealed record TakenPost(string Channel, string? ThreadTs, string Ts, string? DeliveryId, string Body);

/// <summary>A scripted answer: status, headers and body.</summary>
public sealed record ScriptedResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>Slack acted on the request (a post is taken, and shows in <c>conversations.history</c>) before answering this.</summary>
    public bool Takes { get; init; }

    /// <summary>Holds the answer this long (the post, when <see cref="Takes"/>, is taken at once): longer than the client waits is a timeout.</summary>
    public TimeSpan Delay { get; init; }

    public static ScriptedResponse RateLimited(int retryAfterSeconds) =>
        new(429, """{"ok":false,"error":"ratelimited"}""", new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString() });
    public static ScriptedResponse ServerError() => new(500, "upstream error");
    public static ScriptedResponse SlackError(string code) => new(200, $$"""{"ok":false,"error":"{{code}}"}""");
}

/// <summary>
/// A Slack Web API stand-in served by Kestrel on a free loopback port. It records every request
/// (Web API methods and response_url posts under <c>/response/…</c>), answers <c>{"ok":true}</c>
/// with an increasing <c>ts</c> by default, and plays scripted answers per method first.
/// Point <c>Slack__ApiBaseUrl</c> at <see cref="ApiBaseUrl"/> and response_urls at <see cref="ResponseUrl"/>.
/// </summary>
public sealed class SlackApiFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ScriptedResponse>> _scripts = new();
    private readonly ArrivalLog<RecordedRequest> _requests = new();
    private long _ts = 1_700_000_000_000_000;

    private TcpRelay _relay = null!;
    private volatile TaskCompletionSource? _connectionsHeld;
    private int _socketsAccepted;

    private SlackApiFake(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;
    /// <summary>Base URL for <c>Slack__ApiBaseUrl</c>, ending in <c>/api/</c>.</summary>
    public string ApiBaseUrl => new Uri(BaseAddress, "api/").ToString();
    /// <summary>A response_url on this fake; requests to it are recorded under <c>/response/{id}</c>.</summary>
    public string ResponseUrl(string id = "1") => new Uri(BaseAddress, $"response/{id}").ToString();

    public IReadOnlyList<RecordedRequest> Requests => _requests.Items;

    /// <summary>
    /// Runs after a request is recorded (and a post taken) and before it is answered; false drops the answer (the
    /// connection is cut), as when the bot dies or the network fails after Slack acted. A fault suite kills the bot here.
    /// </summary>
    public Func<RecordedRequest, Task<bool>>? BeforeAnswer { get; set; }

    private int _abandoned;

    /// <summary>How many delayed answers (<see cref="ScriptedResponse.Delay"/>) the client stopped waiting for: its timeouts.</summary>
    public int TimedOut => Volatile.Read(ref _abandoned);

    /// <summary>Requests to one Web API method, e.g. <c>chat.postMessage</c>.</summary>
    public IReadOnlyList<RecordedRequest> Calls(string method) => _requests.Items.Where(r => r.Path == "/api/" + method).ToArray();

    public static async Task<SlackApiFake> StartAsync()
    {
        SlackApiFake? fake = null;
        var (app, address) = await LoopbackApp.StartAsync(context => fake!.HandleAsync(context), app => app.UseWebSockets());
        fake = new SlackApiFake(app) { BaseAddress = address };
        // Socket Mode connections go through a relay the tests can make misbehave.
        fake._relay = new TcpRelay(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, address.Port));
        return fake;
    }

    /// <summary>Queue answers for <paramref name="methodOrPath"/> (e.g. <c>chat.postMessage</c> or <c>/response/1</c>), played in order before the default.</summary>
    public void Script(string methodOrPath, params ScriptedResponse[] responses)
    {
        var key = methodOrPath.StartsWith('/') ? methodOrPath : "/api/" + methodOrPath;
        var queue = _scripts.GetOrAdd(key, _ => new ConcurrentQueue<ScriptedResponse>());
        foreach (var r in responses) queue.Enqueue(r);
    }

    /// <summary>Waits until at least <paramref name="count"/> requests matching <paramref name="predicate"/> arrived.</summary>
    public Task<IReadOnlyList<RecordedRequest>> WaitForAsync(Func<RecordedRequest, bool> predicate, int count = 1, TimeSpan? timeout = null) =>
        _requests.WaitForAsync(predicate, count, timeout, r => r.Path);

    /// <summary>
    /// Socket Mode: waits for the bot to open the WebSocket that <c>apps.connections.open</c> pointed it to. Like Slack, the
    /// fake says <c>hello</c> on every new connection before handing it over.
    /// </summary>
    public async Task<SocketModePeer> AcceptSocketAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            return await _sockets.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The bot did not open a Socket Mode connection.");
        }
    }

    /// <summary>
    /// Socket Mode: <c>apps.connections.open</c> is not answered until the returned handle is disposed (Slack slow to hand
    /// out a new connection), so a test can see what the bot does meanwhile.
    /// </summary>
    public IDisposable HoldNewConnections()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connectionsHeld = gate;
        return new Release(() =>
        {
            _connectionsHeld = null;
            gate.TrySetResult();
        });
    }

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }

    private readonly System.Threading.Channels.Channel<SocketModePeer> _sockets = System.Threading.Channels.Channel.CreateUnbounded<SocketModePeer>();

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path == "/socket" && context.WebSockets.IsWebSocketRequest)
        {
            _requests.Add(new RecordedRequest("GET", "/socket", null, null, "", DateTimeOffset.UtcNow));
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var number = Interlocked.Increment(ref _socketsAccepted);
            var peer = new SocketModePeer(socket, _relay.LinkFrom(context.Connection.RemotePort));
            await peer.SendAsync($$$"""{"type":"hello","num_connections":{{{number}}},"connection_info":{"app_id":"A0FAKE"},"debug_info":{"host":"fake","approximate_connection_time":18060}}""");
            await _sockets.Writer.WriteAsync(peer);
            var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            await Task.WhenAny(peer.Closed, Task.Delay(Timeout.Infinite, stopping), Task.Delay(Timeout.Infinite, context.RequestAborted));
            return;
        }
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var path = context.Request.Path.Value ?? "/";
        // The script is taken before the request is recorded, so each record says what it was answered.
        var scripted = _scripts.TryGetValue(path, out var queue) && queue.TryDequeue(out var next) ? next : null;
        var recorded = new RecordedRequest(context.Request.Method, path, context.Request.ContentType,
            context.Request.Headers.Authorization.ToString(), body, DateTimeOffset.UtcNow, scripted?.Status ?? 200);
        _requests.Add(recorded);
        // A post Slack takes exists from here on, whether or not its answer gets back.
        var ts = Interlocked.Increment(ref _ts);
        var tsText = $"{ts / 1_000_000}.{ts % 1_000_000:D6}";
        if ((scripted is null || scripted.Takes) && path == "/api/chat.postMessage") Remember(body, tsText);
        if (path == "/api/files.getUploadURLExternal") _fileNames["F" + tsText.Replace(".", "")] = Form(body)["filename"] ?? "";
        if ((scripted is null || scripted.Takes) && path == "/api/files.completeUploadExternal") RememberUpload(body, tsText);
        if (path == "/api/apps.connections.open" && _connectionsHeld is { } held) await held.Task;
        if (BeforeAnswer is { } hook && !await hook(recorded))
        {
            context.Abort();
            return;
        }

        if (scripted is not null)
        {
            if (scripted.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(scripted.Delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref _abandoned);
                    return; // the client gave up waiting
                }
            }
            context.Response.StatusCode = scripted.Status;
            foreach (var (k, v) in scripted.Headers ?? new Dictionary<string, string>()) context.Response.Headers[k] = v;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(scripted.Body);
            return;
        }

        context.Response.StatusCode = (int)HttpStatusCode.OK;
        context.Response.ContentType = "application/json";
        if (path.StartsWith("/response/", StringComparison.Ordinal) || path.StartsWith("/upload/", StringComparison.Ordinal))
        {
            await context.Response.WriteAsync("""{"ok":true}""");
            return;
        }
        if (path is "/api/conversations.history" or "/api/conversations.replies" && context.Request.Query["channel"].ToString() is ['U' or 'W', ..])
        {
            // As Slack: a user id is not a conversation (a DM's history is read under its D… id).
            await context.Response.WriteAsync("""{"ok":false,"error":"channel_not_found"}""");
            return;
        }
        if (path is "/api/conversations.history" or "/api/conversations.replies")
        {
            await context.Response.WriteAsync(History(context.Request.Query["channel"], context.Request.Query["ts"], context.Request.Query["oldest"]));
            return;
        }
        if (path == "/api/conversations.open")
        {
            // The bot's DM with a user: "D" + the user id.
            var user = System.Text.Json.Nodes.JsonNode.Parse(body.Length == 0 ? "{}" : body)?["users"]?.GetValue<string>() ?? "";
            await context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new { ok = true, channel = new { id = "D" + user } }));
            return;
        }
        if (path == "/api/users.info")
        {
            await context.Response.WriteAsync(UserInfo(context.Request.Query["user"]));
            return;
        }
        if (path == "/api/users.lookupByEmail")
        {
            await context.Response.WriteAsync(UserByEmail(context.Request.Query["email"]));
            return;
        }
        await context.Response.WriteAsync(DefaultBody(path, tsText));
    }

    /// <summary>A message the fake took, as <c>conversations.history</c> gives it back (with its metadata).</summary>
    /// <summary>The fake's ts count from 2023; <paramref name="At"/> is the real time it took the post, which <c>oldest</c> is compared with.</summary>
    private sealed record Posted(string Channel, string? ThreadTs, string Ts, System.Text.Json.Nodes.JsonNode? Metadata, DateTimeOffset At, string Body)
    {
        /// <summary>The files a file share carries, as history gives them back (id, name and title).</summary>
        public System.Text.Json.Nodes.JsonArray? Files { get; init; }
    }

    /// <summary>The file names <c>files.getUploadURLExternal</c> was told, by the file id it answered.</summary>
    private readonly ConcurrentDictionary<string, string> _fileNames = new(StringComparer.Ordinal);

    private static System.Collections.Specialized.NameValueCollection Form(string body) => System.Web.HttpUtility.ParseQueryString(body);

    /// <summary>A completed upload shared in a channel is a message there (a file share), with its files.</summary>
    private void RememberUpload(string body, string ts)
    {
        var form = Form(body);
        if (form["channel_id"] is not { Length: > 0 } channel || form["files"] is not { } filesJson) return;
        var files = new System.Text.Json.Nodes.JsonArray();
        foreach (var file in System.Text.Json.Nodes.JsonNode.Parse(filesJson)!.AsArray())
        {
            var id = file!["id"]!.GetValue<string>();
            files.Add(new System.Text.Json.Nodes.JsonObject { ["id"] = id, ["name"] = _fileNames.GetValueOrDefault(id, ""), ["title"] = file["title"]?.GetValue<string>() });
        }
        _posted.Enqueue(new Posted(channel, form["thread_ts"], ts, null, DateTimeOffset.UtcNow, body) { Files = files });
    }

    private readonly ConcurrentQueue<Posted> _posted = new();

    /// <summary>The posts Slack took, oldest first, whatever it answered (a 500 or a timeout after taking one included).</summary>
    public IReadOnlyList<TakenPost> Taken => _posted.Select(p => new TakenPost(p.Channel, p.ThreadTs, p.Ts,
        p.Metadata?["event_payload"]?["delivery_id"] is System.Text.Json.Nodes.JsonValue id && id.TryGetValue<string>(out var text) ? text : null, p.Body)).ToList();

    private void Remember(string body, string ts)
    {
        try
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(body);
            if (json?["channel"]?.GetValue<string>() is { } channel)
                _posted.Enqueue(new Posted(channel, json["thread_ts"]?.GetValue<string>(), ts, json["metadata"]?.DeepClone(), DateTimeOffset.UtcNow, body));
        }
        catch (System.Text.Json.JsonException)
        {
        }
    }

    /// <summary>Posts the fake took in a channel (or one thread), newest first, from <paramref name="oldest"/> on.</summary>
    private string History(string? channel, string? threadTs, string? oldest)
    {
        var from = decimal.TryParse(oldest, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var o)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(o * 1000)) : DateTimeOffset.MinValue;
        var messages = new System.Text.Json.Nodes.JsonArray();
        // A direct message is posted to a user id and read back under its conversation's id (conversations.open: "D" + the user id).
        foreach (var p in _posted.Reverse().Where(p => (p.Channel == channel || "D" + p.Channel == channel) && (threadTs is null ? p.ThreadTs is null : p.ThreadTs == threadTs)
                     && p.At >= from))
        {
            messages.Add(new System.Text.Json.Nodes.JsonObject { ["type"] = "message", ["ts"] = p.Ts, ["metadata"] = p.Metadata?.DeepClone(), ["files"] = p.Files?.DeepClone() });
        }
        return new System.Text.Json.Nodes.JsonObject { ["ok"] = true, ["messages"] = messages, ["has_more"] = false }.ToJsonString();
    }

    private readonly ConcurrentDictionary<string, (string Name, string Email)> _users = new(StringComparer.Ordinal);

    /// <summary>A person <c>users.info</c> knows, with the e-mail of their profile (others get a profile without one).</summary>
    public void AddUser(string id, string name, string email) => _users[id] = (name, email);

    private string UserInfo(string? id) => id is not null && _users.TryGetValue(id, out var user)
        ? System.Text.Json.JsonSerializer.Serialize(new { ok = true, user = new { id, name = user.Name, real_name = user.Name, tz = "UTC", profile = new { email = user.Email } } })
        : """{"ok":true,"user":{"id":"U0","name":"someone","real_name":"Some One","tz":"UTC"}}""";

    /// <summary>As Slack: the member added with that e-mail (<see cref="AddUser"/>), else <c>users_not_found</c>.</summary>
    private string UserByEmail(string? email) => _users.FirstOrDefault(u => string.Equals(u.Value.Email, email, StringComparison.OrdinalIgnoreCase)) is { Key: { } id } found
        ? System.Text.Json.JsonSerializer.Serialize(new { ok = true, user = new { id, name = found.Value.Name, real_name = found.Value.Name, tz = "UTC", profile = new { email = found.Value.Email } } })
        : """{"ok":false,"error":"users_not_found"}""";

    /// <summary>Where <c>files.getUploadURLExternal</c> tells clients to send the bytes; recorded under <c>/upload/{file_id}</c>.</summary>
    public string UploadUrl(string fileId) => new Uri(BaseAddress, $"upload/{fileId}").ToString();

    private string DefaultBody(string path, string ts) => path switch
    {
        "/api/files.getUploadURLExternal" => $$"""{"ok":true,"upload_url":"{{UploadUrl("F" + ts.Replace(".", ""))}}","file_id":"F{{ts.Replace(".", "")}}"}""",
        "/api/usergroups.users.list" => """{"ok":true,"users":[]}""",
        "/api/views.open" or "/api/views.update" or "/api/views.publish" => """{"ok":true,"view":{"id":"V1"}}""",
        "/api/auth.test" => """{"ok":true,"url":"https://securebase.slack.com/","team":"SecureBase","user":"sb","team_id":"T0TEAM","user_id":"U0BOT","bot_id":"B0BOT"}""",
        "/api/apps.connections.open" => $$"""{"ok":true,"url":"ws://127.0.0.1:{{_relay.Port}}/socket"}""",
        _ => $$$"""{"ok":true,"channel":"C0","ts":"{{{ts}}}","message":{"ts":"{{{ts}}}"}}""",
    };

    public async ValueTask DisposeAsync()
    {
        await _relay.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _requests.Dispose();
    }
}
