using Bot.Tests.Sandbox;
using Bot.Testing;
using Bot.Tests;
using Bot.PagerDuty;
using Bot.Integrations.PagerDuty;
using Bot.Integrations.PagerDuty.Webhooks;
using Bot.Sandbox;
using Bot.Sandbox.Account;
using Bot.Sandbox.Hosting;
using Bot.Sandbox.PagerDuty;
using Bot.Testing.PagerDuty;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.Sandbox.PagerDuty;

/// <summary>
/// The sandbox on loopback with a fake clock, the bot's real PagerDuty clients pointed at it, and a webhook
/// subscriber (a <see cref="PagerDutyApiFake"/>) whose deliveries are checked with the bot's verifier and parser.
/// </summary>
internal sealed class PagerDutySandbox : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 10, 14, 7, 30, TimeSpan.Zero);

    private PagerDutySandbox(SandboxServer server, FakeTimeProvider time, PagerDutyApiFake subscriber, ServiceProvider services)
    {
        Server = server;
        Time = time;
        Subscriber = subscriber;
        Services = services;
        Http = new HttpClient { BaseAddress = server.BaseAddress };
    }

    public SandboxServer Server { get; }
    public FakeTimeProvider Time { get; }
    public PagerDutyApiFake Subscriber { get; }
    public ServiceProvider Services { get; }
    public HttpClient Http { get; }
    public SandboxAccount Account => Server.Account;
    public SandboxPagerDuty PagerDuty => Account.PagerDuty;
    public PagerDutyClient Client => Services.GetRequiredService<PagerDutyClient>();
    public PagerDutyEventsClient Events => Services.GetRequiredService<PagerDutyEventsClient>();
    public string Secret => PagerDuty.Options.WebhookSecret;

    public static async Task<PagerDutySandbox> StartAsync(Action<SandboxOptions>? configure = null, string? token = null)
    {
        var time = new FakeTimeProvider(Start);
        var options = new SandboxOptions { StartWithOpenIncident = false };
        options.PagerDuty.WebhookRetryDelay = TimeSpan.Zero;
        configure?.Invoke(options);
        var server = await SandboxServer.StartAsync(options, time);
        var subscriber = await PagerDutyApiFake.StartAsync();
        server.Account.PagerDuty.Webhooks.Subscribe(subscriber.WebhookUrl);
        var values = new Dictionary<string, string?>
        {
            ["PagerDuty:ApiToken"] = token ?? options.PagerDuty.ApiToken,
            ["PagerDuty:WebhookSecret"] = options.PagerDuty.WebhookSecret,
            ["PagerDuty:FromEmail"] = PagerDutyDirectory.Bot.Email,
            ["PagerDuty:EscalationPolicyId"] = PagerDutyDirectory.PolicyId,
            ["PagerDuty:TeamIds:0"] = PagerDutyDirectory.TeamId,
            ["PagerDuty:ApiBaseUrl"] = new Uri(server.BaseAddress, "pagerduty/").ToString(),
            ["PagerDuty:EventsBaseUrl"] = new Uri(server.BaseAddress, "pagerduty-events/").ToString(),
            ["PagerDuty:Retry:BaseDelay"] = "00:00:00.010",
        };
        foreach (var service in PagerDutyDirectory.Services) values[$"PagerDuty:RoutingKeys:{service.Name}"] = service.RoutingKey;
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            .AddPagerDutyClients()
            .BuildServiceProvider();
        return new PagerDutySandbox(server, time, subscriber, services);
    }

    /// <summary>Waits for <paramref name="count"/> webhooks, checks each one's signature, and returns them parsed, in arrival order.</summary>
    public async Task<IReadOnlyList<PagerDutyWebhookEvent>> WebhooksAsync(int count)
    {
        var deliveries = (await Subscriber.WaitForAsync(r => r.Path == "/pagerduty/webhooks" && r.Status == 202, count)).Take(count).ToList();
        return deliveries.Select(d =>
        {
            var body = System.Text.Encoding.UTF8.GetBytes(d.Body);
            Assert.Equal(PagerDutySignatureCheck.Valid, PagerDutySignatureVerifier.Verify(Secret, d.Header("X-PagerDuty-Signature"), body));
            Assert.False(string.IsNullOrEmpty(d.Header("X-Webhook-Id")));
            Assert.Equal("PagerDuty-Webhook/V3.0", d.Header("User-Agent"));
            return PagerDutyWebhookParser.Parse(body, out var error) ?? throw new InvalidOperationException(error);
        }).ToList();
    }

    /// <summary>The types of every webhook delivered so far (after waiting for <paramref name="count"/>).</summary>
    public async Task<IReadOnlyList<string>> WebhookTypesAsync(int count) => (await WebhooksAsync(count)).Select(e => e.EventType).ToList();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Services.DisposeAsync();
        await Server.DisposeAsync();
        await Subscriber.DisposeAsync();
    }
}
