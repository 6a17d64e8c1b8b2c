using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Sandbox.PagerDuty;
using Bot.Testing.PagerDuty;

namespace Bot.Bench;

/// <summary>One webhook exactly as PagerDuty delivered it: its raw body and the headers that sign and identify it.</summary>
public sealed record StormWebhook(byte[] Body, string Signature, string WebhookId)
{
    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/pagerduty/webhooks") { Content = new ByteArrayContent(Body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        request.Headers.TryAddWithoutValidation("X-PagerDuty-Signature", Signature);
        request.Headers.TryAddWithoutValidation("X-Webhook-Id", WebhookId);
        return request;
    }
}

/// <summary>What sending the storm got: each webhook's status and time to its answer.</summary>
public sealed record StormSent(int[] Statuses, double[] LatenciesMs, TimeSpan Elapsed);

/// <summary>
/// An alert storm's webhooks: the sandbox's PagerDuty opens the incidents and signs their <c>incident.triggered</c>
/// webhooks, delivered (one at a time, as it does) to a recording stand-in; the benchmark then sends those exact
/// deliveries to the bot all at once, so the bot reads the same incidents back from the sandbox's REST API.
/// </summary>
public static class StormWebhooks
{
    /// <summary>What an alert storm looks like: one root cause, alarms on a few services.</summary>
    private static readonly (string Service, string Title)[] Alarms =
    [
        (PagerDutyDirectory.LambdaService, "Lambda function errors: securebase-prod-user-management"),
        (PagerDutyDirectory.DynamoDbService, "DynamoDB throttling on securebase-prod-user-sessions"),
        (PagerDutyDirectory.ApiService, "API Gateway 5xx on securebase-prod-api"),
        (PagerDutyDirectory.LambdaService, "Lambda function errors: securebase-prod-session-management"),
    ];

    /// <summary>Opens <paramref name="count"/> distinct incidents in the sandbox's PagerDuty and returns their signed webhooks.</summary>
    public static async Task<IReadOnlyList<StormWebhook>> CaptureAsync(SandboxPagerDuty pagerDuty, string secret, int count)
    {
        await using var recorder = await PagerDutyApiFake.StartAsync();
        pagerDuty.Webhooks.Subscribe(recorder.WebhookUrl, secret);
        try
        {
            for (var n = 0; n < count; n++)
            {
                var (service, title) = Alarms[n % Alarms.Length];
                pagerDuty.Trigger(PagerDutyDirectory.ServiceByName(service)!, $"{title} (alarm {n + 1})", "error", $"storm-{n}");
            }
            var delivered = await recorder.WaitForAsync(r => r.Method == "POST" && r.Path == "/pagerduty/webhooks", count, TimeSpan.FromMinutes(2));
            return delivered.Take(count)
                .Select(r => new StormWebhook(Encoding.UTF8.GetBytes(r.Body), r.Header("X-PagerDuty-Signature")!, r.Header("X-Webhook-Id")!))
                .ToList();
        }
        finally
        {
            // Later changes of these incidents (PagerDuty's own escalation clock) go nowhere: the storm is what is measured.
            pagerDuty.Webhooks.Unsubscribe();
        }
    }

    /// <summary>
    /// <paramref name="count"/> signed <c>pagey.ping</c> webhooks (PagerDuty testing the subscription): they take the
    /// endpoint's and the inbox's path, so a warm-up with them leaves the incidents and the storm untouched.
    /// </summary>
    public static IReadOnlyList<StormWebhook> Pings(string secret, int count) => Enumerable.Range(0, count).Select(n =>
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["event"] = new JsonObject
            {
                ["id"] = $"01PING{n:D6}{Guid.NewGuid():N}"[..26].ToUpperInvariant(),
                ["event_type"] = "pagey.ping",
                ["resource_type"] = "pagey",
                ["occurred_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                ["agent"] = null,
                ["client"] = null,
                ["data"] = new JsonObject { ["message"] = "Hello from your friend Pagey!", ["type"] = "ping" },
            },
        }.ToJsonString());
        return new StormWebhook(body, WebhookDelivery.Sign(secret, body), Guid.NewGuid().ToString());
    }).ToList();

    /// <summary>Sends every webhook, <paramref name="concurrency"/> at a time, each as soon as a sender is free.</summary>
    public static async Task<StormSent> SendAsync(HttpClient http, IReadOnlyList<StormWebhook> webhooks, int concurrency)
    {
        var statuses = new int[webhooks.Count];
        var latencies = new double[webhooks.Count];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < webhooks.Count)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var request = webhooks[i].ToRequest();
                    using var response = await http.SendAsync(request);
                    await response.Content.ReadAsByteArrayAsync();
                    statuses[i] = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    statuses[i] = 0;
                }
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        return new StormSent(statuses, latencies, total.Elapsed);
    }
}
