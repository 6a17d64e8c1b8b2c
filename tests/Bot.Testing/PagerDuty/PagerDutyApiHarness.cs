using Bot.Integrations.PagerDuty;
using Bot.Testing;
using Bot.Testing.PagerDuty;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Testing.PagerDuty;

/// <summary>The real PagerDuty client registrations pointed at a <see cref="PagerDutyApiFake"/> on loopback, logging everything.</summary>
public sealed class PagerDutyApiHarness : IAsyncDisposable
{
    public const string ApiToken = "y_NbAkKc66ryYTWUXYEu";
    public const string RoutingKey = "e93facc04764012d7bfb002500d5d1a6";
    public const string FromEmail = "securebase-bot@securebase.example";
    /// <summary>The service of the vendored REST fixtures' incident.</summary>
    public const string FixtureServiceId = "PIJ90N7";

    private PagerDutyApiHarness(PagerDutyApiFake fake, ServiceProvider services, RecordingLoggerProvider log)
    {
        Fake = fake;
        Services = services;
        Log = log;
    }

    public PagerDutyApiFake Fake { get; }
    public ServiceProvider Services { get; }
    public RecordingLoggerProvider Log { get; }
    public PagerDutyClient Client => Services.GetRequiredService<PagerDutyClient>();
    public PagerDutyEventsClient Events => Services.GetRequiredService<PagerDutyEventsClient>();

    public static async Task<PagerDutyApiHarness> StartAsync(Action<Dictionary<string, string?>>? settings = null)
    {
        var fake = await PagerDutyApiFake.StartAsync();
        var values = new Dictionary<string, string?>
        {
            ["PagerDuty:ApiToken"] = ApiToken,
            ["PagerDuty:WebhookSecret"] = "whsec-test",
            ["PagerDuty:FromEmail"] = FromEmail,
            ["PagerDuty:ServiceIds:0"] = FixtureServiceId,
            ["PagerDuty:ApiBaseUrl"] = fake.BaseUrl,
            ["PagerDuty:EventsBaseUrl"] = fake.BaseUrl,
            ["PagerDuty:RoutingKeys:securebase-prod-lambda"] = RoutingKey,
            ["PagerDuty:Retry:MaxRetries"] = "2",
            ["PagerDuty:Retry:BaseDelay"] = "00:00:00.010",
            ["PagerDuty:Retry:MaxRetryAfter"] = "00:00:01",
        };
        settings?.Invoke(values);
        var log = new RecordingLoggerProvider();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(log))
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            .AddPagerDutyClients()
            .BuildServiceProvider();
        return new PagerDutyApiHarness(fake, services, log);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
