using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Bot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.IntegrationTests.Reliability;

/// <summary>One webhook the relay passed on: PagerDuty's delivery id, the event, and what each instance answered (0: unreachable).</summary>
public sealed record RelayedWebhook(string WebhookId, string EventType, IReadOnlyList<int> Statuses)
{
    public override string ToString() => $"{EventType} ({WebhookId}): {string.Join("/", Statuses)}";
}

/// <summary>
/// The bot's public webhook address as PagerDuty (the sandbox) sees it, in front of instances that die and come back on
/// other ports: every delivery is passed on, byte for byte with its headers, to each instance <see cref="Targets"/> names at
/// that moment — all at once, so two instances get the same delivery together — and answered with the best of their
/// answers: 2xx when any took it, else the first failure (502 when none could be reached), so the sender retries.
/// </summary>
public sealed class WebhookRelay : IAsyncDisposable
{
    private static readonly string[] Forwarded = ["X-PagerDuty-Signature", "X-Webhook-Id", "X-Webhook-Subscription", "User-Agent"];

    private readonly WebApplication _app;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ConcurrentQueue<RelayedWebhook> _relayed = new();

    private WebhookRelay(WebApplication app, Uri address)
    {
        _app = app;
        Url = new Uri(address, "pagerduty/webhooks");
    }

    /// <summary>Where PagerDuty delivers.</summary>
    public Uri Url { get; }

    /// <summary>The base addresses of the instances to pass each delivery to, asked anew for every delivery.</summary>
    public Func<IReadOnlyList<Uri>> Targets { get; set; } = () => [];

    public IReadOnlyList<RelayedWebhook> Relayed => _relayed.ToArray();

    public static async Task<WebhookRelay> StartAsync()
    {
        WebhookRelay? relay = null;
        var (app, address) = await LoopbackApp.StartAsync(context => relay!.RelayAsync(context));
        relay = new WebhookRelay(app, address);
        return relay;
    }

    private async Task RelayAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var answers = await Task.WhenAll(Targets().Select(target => SendAsync(new Uri(target, "pagerduty/webhooks"), context.Request, body)));
        var statuses = answers.Select(a => a.Status).ToList();
        _relayed.Enqueue(new RelayedWebhook(context.Request.Headers["X-Webhook-Id"].ToString(), EventType(body), statuses));

        var best = answers.Where(a => a.Status is >= 200 and < 300).Concat(answers.Where(a => a.Status > 0))
            .Append((Status: 502, Body: """{"error":"no instance could be reached"}""")).First();
        context.Response.StatusCode = best.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(best.Body);
    }

    private async Task<(int Status, string Body)> SendAsync(Uri url, HttpRequest incoming, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", incoming.ContentType ?? "application/json");
        foreach (var name in Forwarded)
        {
            if (incoming.Headers.TryGetValue(name, out var value)) request.Headers.TryAddWithoutValidation(name, value.ToString());
        }
        try
        {
            using var response = await _http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (0, "");
        }
    }

    private static string EventType(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body)?["event"]?["event_type"]?.GetValue<string>() ?? "?";
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return "?";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _http.Dispose();
    }
}
