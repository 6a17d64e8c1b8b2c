using Bot.PagerDuty;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.IntegrationTests.Slack;
using Bot.Testing;
using Bot.Testing.PagerDuty;
using Bot.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.IntegrationTests.PagerDuty;

/// <summary>POST /pagerduty/webhooks on the whole bot, with PagerDuty's own signed deliveries from the fixtures.</summary>
public sealed class PagerDutyWebhookEndpointTests : IDisposable
{
    private const string Secret = "HvPtlQNKMPpHSSqJpCdndXfo7HnGXa1pnH6w5axpxLFn9aRBNBGh4e8/HlonK5mz";
    private const string TriggeredFile = "pagerduty/webhooks-v3/raw/aldaviva.incident.triggered.json";
    private const string TriggeredSignature = "v1=3e3032b45bbe1801c13f182b0e0a7f4f3f530225cef07e3e90cbc57874d01c49";

    private readonly RecordingEventSink _sink = new();

    public void Dispose() => _sink.Dispose();

    /// <summary>The services of the vendored deliveries (aldaviva's and go-pagerduty's), followed unless a test says otherwise.</summary>
    private static readonly string[] FixtureServices = ["PNE3JZM", "PF9KMXH"];

    private Task<SlackBot> StartAsync(string? secret = Secret, Action<IServiceCollection>? services = null, string[]? serviceIds = null) =>
        SlackBot.StartAsync(settings =>
        {
            if (secret is null) return;
            settings["PagerDuty:WebhookSecret"] = secret;
            settings["PagerDuty:ApiToken"] = "pd-test-token";
            settings["PagerDuty:FromEmail"] = "securebase-bot@securebase.example";
            foreach (var (id, i) in (serviceIds ?? FixtureServices).Select((id, i) => (id, i))) settings[$"PagerDuty:ServiceIds:{i}"] = id;
            // Nothing here may reach the real PagerDuty: no API on this port, and no reconciler polling it.
            settings["PagerDuty:ApiBaseUrl"] = "http://127.0.0.1:9/";
            settings["Incidents:ReconcileEvery"] = "00:00:00";
        }, s =>
        {
            s.AddSingleton<IPagerDutyEventSink>(_sink);
            services?.Invoke(s);
        });

    private static HttpRequestMessage Delivery(byte[] body, string? signature, string? webhookId = "f1a2b3c4-0001")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, PagerDutyRoutes.Webhooks) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.ParseAdd("PagerDuty-Webhook/V3.0");
        if (signature is not null) request.Headers.TryAddWithoutValidation(PagerDutySignatureVerifier.SignatureHeader, signature);
        if (webhookId is not null) request.Headers.TryAddWithoutValidation(PagerDutyWebhookEndpoint.WebhookIdHeader, webhookId);
        return request;
    }

    private static HttpRequestMessage Signed(string json, string? webhookId = "f1a2b3c4-0001")
    {
        var body = Encoding.UTF8.GetBytes(json);
        return Delivery(body, PagerDutySignatureVerifier.Sign(Secret, body), webhookId);
    }

    private static async Task<IReadOnlyList<WorkItem>> Stored(SlackBot bot) =>
        await bot.Factory.Services.GetRequiredService<IWorkflowStore>().ListPendingWorkAsync(PagerDutyInbox.Queue, 100, CancellationToken.None);

    [Fact]
    public async Task A_real_signed_delivery_is_answered_202_and_handed_to_the_incident_sink()
    {
        await using var bot = await StartAsync();

        var response = await bot.SendAsync(Delivery(Fixtures.ReadBytes(TriggeredFile), TriggeredSignature));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("stored", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        var handled = Assert.Single(await _sink.WaitForAsync(1));
        Assert.Equal(PagerDutyEventKind.Triggered, handled.Kind);
        Assert.Equal("Q2CKYRLH85UNN4", handled.IncidentId);
    }

    [Fact]
    public async Task A_delivery_about_another_teams_service_is_answered_202_and_dropped()
    {
        await using var bot = await StartAsync(serviceIds: ["PSBLMB1"]);

        var response = await bot.SendAsync(Delivery(Fixtures.ReadBytes(TriggeredFile), TriggeredSignature));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("ignored", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Empty(await Stored(bot));
        Assert.Empty(_sink.Events);
    }

    [Fact]
    public async Task The_go_pagerduty_vector_is_accepted_with_its_own_secret()
    {
        await using var bot = await StartAsync("lDQHScfUeXUKaQRNF+8XIiDKZ7XX3itBAYzwU0TARw8lJqRnkKl2iB1anSb0Z+IK");

        var response = await bot.SendAsync(Delivery(Fixtures.ReadBytes("pagerduty/webhooks-v3/raw/go-pagerduty.incident.priority_updated.json"),
            "v1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(PagerDutyEventKind.PriorityUpdated, Assert.Single(await _sink.WaitForAsync(1)).Kind);
    }

    [Theory]
    [InlineData("v1=7020c8a7ec668a9b7012bc3dd82e483394b038f4230acc6785efbf2a7d8bcaf5")]
    [InlineData(null)]
    [InlineData("v1=")]
    public async Task A_bad_or_missing_signature_is_401_and_nothing_is_recorded(string? signature)
    {
        await using var bot = await StartAsync();

        var response = await bot.SendAsync(Delivery(Fixtures.ReadBytes(TriggeredFile), signature, webhookId: "wh-forged"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await Stored(bot));
        // Not even the delivery id was remembered: the genuine delivery with that id is still stored.
        var genuine = await bot.SendAsync(Delivery(Fixtures.ReadBytes(TriggeredFile), TriggeredSignature, webhookId: "wh-forged"));
        Assert.Equal("stored", JsonDocument.Parse(await genuine.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_retried_delivery_is_acknowledged_again_but_handled_once()
    {
        await using var bot = await StartAsync();

        var first = await bot.SendAsync(Delivery(Fixtures.ReadBytes(TriggeredFile), TriggeredSignature));
        await _sink.WaitForAsync(1);
        var retry = await bot.SendAsync(Delivery(Fixtures.ReadBytes(TriggeredFile), TriggeredSignature));
        var otherSubscription = await bot.SendAsync(Delivery(Fixtures.ReadBytes(TriggeredFile), TriggeredSignature, webhookId: "another-delivery"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal("duplicate", JsonDocument.Parse(await retry.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Equal("duplicate", JsonDocument.Parse(await otherSubscription.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        // One event id is one work item: the repeats were never stored, so they cannot be handed over again.
        Assert.DoesNotContain(await Stored(bot), item => item.Id != PagerDutyInbox.ItemId("01FKZSRAPTMF55RE69G8BQHGC6"));
        Assert.Single(_sink.Events);
    }

    [Fact]
    public async Task An_event_type_the_bot_does_not_act_on_is_accepted_and_ignored()
    {
        await using var bot = await StartAsync();

        var response = await bot.SendAsync(Signed("""{"event":{"id":"01SVC","event_type":"service.updated","resource_type":"service","occurred_at":"2021-03-02T13:35:11.682Z","agent":null,"client":null,"data":{"id":"PF9KMXH","type":"service"}}}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("ignored", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Empty(await Stored(bot));
    }

    [Fact]
    public async Task A_ping_is_accepted()
    {
        await using var bot = await StartAsync();

        var response = await bot.SendAsync(Signed("""{"event":{"id":"01PING","event_type":"pagey.ping","resource_type":"pagey","occurred_at":"2021-12-08T22:22:52.123Z","agent":null,"client":null,"data":{"message":"Hello from your friend Pagey!","type":"ping"}}}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(PagerDutyEventKind.Ping, Assert.Single(await _sink.WaitForAsync(1)).Kind);
    }

    [Fact]
    public async Task A_signed_body_that_is_not_a_v3_event_is_400()
    {
        await using var bot = await StartAsync();

        var response = await bot.SendAsync(Signed("""{"messages":[{"event":"incident.trigger"}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await Stored(bot));
    }

    [Fact]
    public async Task A_body_larger_than_any_pagerduty_delivery_is_refused()
    {
        await using var bot = await StartAsync();

        var response = await bot.SendAsync(Signed("{\"pad\":\"" + new string('x', PagerDutyWebhookEndpoint.MaxBodyBytes) + "\"}"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task When_the_store_fails_the_answer_is_503_so_pagerduty_retries_and_the_retry_is_stored()
    {
        var failures = 1;
        await using var bot = await StartAsync(services: s => s.Decorate<IWorkflowStore>(inner => FailingEnqueue.Wrap(inner, () => Interlocked.Decrement(ref failures) >= 0)));

        var first = await bot.SendAsync(Delivery(Fixtures.ReadBytes(TriggeredFile), TriggeredSignature));
        var retry = await bot.SendAsync(Delivery(Fixtures.ReadBytes(TriggeredFile), TriggeredSignature));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal("stored", JsonDocument.Parse(await retry.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Single(await _sink.WaitForAsync(1));
    }

    [Fact]
    public async Task Without_pagerduty_configured_the_bot_starts_and_refuses_webhooks()
    {
        await using var bot = await StartAsync(secret: null);

        var response = await bot.SendAsync(Delivery(Fixtures.ReadBytes(TriggeredFile), TriggeredSignature));
        var health = await bot.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.False(bot.Factory.Services.GetRequiredService<PagerDutyClient>().IsConfigured);
    }

    /// <summary>The real store, except that enqueueing fails while <c>fail()</c> says so (a disk or network error of ours).</summary>
    public class FailingEnqueue : DispatchProxy
    {
        private IWorkflowStore _inner = null!;
        private Func<bool> _fail = null!;

        public static IWorkflowStore Wrap(IWorkflowStore inner, Func<bool> fail)
        {
            var proxy = Create<IWorkflowStore, FailingEnqueue>();
            var self = (FailingEnqueue)(object)proxy;
            self._inner = inner;
            self._fail = fail;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name == nameof(IWorkflowStore.EnqueueWorkAsync) && _fail())
                return Task.FromException<bool>(new IOException("disk I/O error"));
            try
            {
                return targetMethod!.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }
    }
}

internal static class ServiceCollectionDecoration
{
    /// <summary>Replaces the last registration of <typeparamref name="T"/> with a wrapper around it.</summary>
    public static IServiceCollection Decorate<T>(this IServiceCollection services, Func<T, T> wrap) where T : class
    {
        var descriptor = services.Last(d => d.ServiceType == typeof(T));
        services.Remove(descriptor);
        services.AddSingleton(sp => wrap((T)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!))));
        return services;
    }
}
