using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Bot.Sandbox.PagerDuty;

/// <summary>What became of one webhook: delivered, dropped (4xx, or every attempt failed), or not sent (no subscription).</summary>
public sealed record SandboxDelivery(string WebhookId, string EventId, string EventType, string? IncidentId, int Attempts, string Outcome, int? LastStatus);

/// <summary>
/// Sends the simulated account's V3 webhooks to the subscriber as PagerDuty does: a POST of
/// <c>{"event":{…}}</c> with <c>X-PagerDuty-Signature: v1=&lt;HMAC-SHA256 hex&gt;</c> and a fresh
/// <c>X-Webhook-Id</c> (the same on every retry of it), one at a time in the order the changes happened.
/// 5xx, 429, timeouts and connection failures are retried (5 attempts, doubling waits on the account's clock);
/// any other 4xx drops the webhook; after 3 webhooks in a row are dropped the subscription is disabled.
/// Only loopback subscribers are allowed.
/// </summary>
public sealed class WebhookDelivery : IDisposable
{
    public const int MaxAttempts = 5;
    public const int FailuresBeforeDisable = 3;
    private const int LogSize = 500;

    private readonly SandboxPagerDutyOptions _options;
    private readonly TimeProvider _time;
    private readonly Lazy<HttpClient> _http;
    private readonly Channel<JsonObject> _queue = Channel.CreateUnbounded<JsonObject>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<SandboxDelivery> _log = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Uri? _url;
    private string _secret;
    private bool _disabled;
    private int _consecutiveFailures;
    private int _pumping;
    private int _inFlight;

    internal WebhookDelivery(SandboxPagerDutyOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _secret = options.WebhookSecret;
        _http = new Lazy<HttpClient>(() =>
        {
            var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = options.WebhookTimeout };
            client.DefaultRequestHeaders.UserAgent.ParseAdd("PagerDuty-Webhook/V3.0");
            return client;
        });
    }

    public Uri? Url
    {
        get
        {
            lock (_gate) return _url;
        }
    }

    /// <summary>False after <see cref="FailuresBeforeDisable"/> webhooks in a row were dropped, until subscribed again.</summary>
    public bool Enabled
    {
        get
        {
            lock (_gate) return _url is not null && !_disabled;
        }
    }

    /// <summary>The last webhooks, oldest first.</summary>
    public IReadOnlyList<SandboxDelivery> Log => _log.ToArray();

    /// <summary>True while webhooks are queued or being sent.</summary>
    public bool Busy => Volatile.Read(ref _inFlight) > 0;

    /// <summary>Delivers every later change to <paramref name="url"/>, signed with <paramref name="secret"/> (re-enables a disabled subscription).</summary>
    public void Subscribe(Uri url, string? secret = null)
    {
        if (!url.IsAbsoluteUri || url.Scheme != "http" && url.Scheme != "https" || !(url.IsLoopback || url.Host == "localhost"))
            throw new ArgumentException($"The sandbox only delivers webhooks to loopback URLs such as http://127.0.0.1:8080/pagerduty/webhooks, not '{url}'.", nameof(url));
        lock (_gate)
        {
            _url = url;
            if (!string.IsNullOrEmpty(secret)) _secret = secret;
            _disabled = false;
            _consecutiveFailures = 0;
        }
    }

    public void Unsubscribe()
    {
        lock (_gate) _url = null;
    }

    /// <summary>The signature PagerDuty would send for <paramref name="body"/> with <paramref name="secret"/>.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    internal void Enqueue(JsonObject webhook)
    {
        Interlocked.Increment(ref _inFlight);
        _queue.Writer.TryWrite(webhook);
        if (Interlocked.CompareExchange(ref _pumping, 1, 0) == 0) _ = Task.Run(PumpAsync);
    }

    /// <summary>Sends queued webhooks one at a time; stops when the queue is empty (and starts again on the next one).</summary>
    private async Task PumpAsync()
    {
        while (true)
        {
            while (_queue.Reader.TryRead(out var webhook))
            {
                try
                {
                    Record(await DeliverAsync(webhook));
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }
            Volatile.Write(ref _pumping, 0);
            if (!_queue.Reader.TryPeek(out _) || Interlocked.CompareExchange(ref _pumping, 1, 0) != 0) return;
        }
    }

    private async Task<SandboxDelivery> DeliverAsync(JsonObject webhook)
    {
        var ev = webhook["event"]!;
        var eventId = ev["id"]!.GetValue<string>();
        var type = ev["event_type"]!.GetValue<string>();
        var incidentId = ev["data"]?["id"]?.GetValue<string>() ?? ev["data"]?["incident"]?["id"]?.GetValue<string>();
        var webhookId = Guid.NewGuid().ToString();
        Uri? url;
        string secret;
        lock (_gate)
        {
            url = _disabled ? null : _url;
            secret = _secret;
        }
        if (url is null) return new SandboxDelivery(webhookId, eventId, type, incidentId, 0, _disabled ? "not sent (subscription disabled)" : "not sent (no subscription)", null);

        var body = Encoding.UTF8.GetBytes(webhook.ToJsonString());
        var signature = Sign(secret, body);
        int? status = null;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            bool retry;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.TryAddWithoutValidation("X-PagerDuty-Signature", signature);
                request.Headers.TryAddWithoutValidation("X-Webhook-Id", webhookId);
                request.Headers.TryAddWithoutValidation("X-Webhook-Subscription", "PSBSUB1");
                using var response = await _http.Value.SendAsync(request, _stop.Token);
                status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode) return Delivered(webhookId, eventId, type, incidentId, attempt, status);
                retry = status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !_stop.IsCancellationRequested)
            {
                retry = true;
            }
            if (!retry) return Dropped(webhookId, eventId, type, incidentId, attempt, status, $"dropped ({status})");
            if (attempt < MaxAttempts && _options.WebhookRetryDelay > TimeSpan.Zero)
                await Task.Delay(_options.WebhookRetryDelay * Math.Pow(2, attempt - 1), _time, _stop.Token);
        }
        return Dropped(webhookId, eventId, type, incidentId, MaxAttempts, status, "dropped after 5 attempts");
    }

    private SandboxDelivery Delivered(string webhookId, string eventId, string type, string? incidentId, int attempts, int? status)
    {
        lock (_gate) _consecutiveFailures = 0;
        return new SandboxDelivery(webhookId, eventId, type, incidentId, attempts, "delivered", status);
    }

    private SandboxDelivery Dropped(string webhookId, string eventId, string type, string? incidentId, int attempts, int? status, string outcome)
    {
        lock (_gate)
        {
            if (++_consecutiveFailures >= FailuresBeforeDisable) _disabled = true;
        }
        return new SandboxDelivery(webhookId, eventId, type, incidentId, attempts, outcome, status);
    }

    private void Record(SandboxDelivery delivery)
    {
        _log.Enqueue(delivery);
        while (_log.Count > LogSize) _log.TryDequeue(out _);
    }

    public void Dispose()
    {
        _stop.Cancel();
        if (_http.IsValueCreated) _http.Value.Dispose();
        _stop.Dispose();
    }
}
