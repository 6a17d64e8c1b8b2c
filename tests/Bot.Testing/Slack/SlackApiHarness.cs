using Bot.Testing;
using Bot.Integrations.Slack;
using Bot.Testing.Slack;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Testing.Slack;

/// <summary>The real Slack client registrations pointed at a <see cref="SlackApiFake"/> on loopback.</summary>
public sealed class SlackApiHarness : IAsyncDisposable
{
    public const string BotToken = "xoxb-test-token";

    private SlackApiHarness(SlackApiFake fake, ServiceProvider services)
    {
        Fake = fake;
        Services = services;
    }

    public SlackApiFake Fake { get; }
    public ServiceProvider Services { get; }

    public static async Task<SlackApiHarness> StartAsync(string? apiBaseUrl = null)
    {
        var fake = await SlackApiFake.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = BotToken,
            ["Slack:ApiBaseUrl"] = apiBaseUrl ?? fake.ApiBaseUrl,
            ["Slack:Retry:MaxRetries"] = "2",
            ["Slack:Retry:BaseDelay"] = "00:00:00.010",
            ["Slack:Retry:MaxRetryAfter"] = "00:00:01",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSlackWebApi()
            .BuildServiceProvider();
        return new SlackApiHarness(fake, services);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
